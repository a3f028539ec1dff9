import Foundation

/// Everything that can go wrong in the study, each with a message naming the file, flag or
/// request at fault. Nothing here is a crash: callers show `description` and stop cleanly.
public enum SurveyError: Error, CustomStringConvertible, Equatable {
    // Input
    case imageFolder(String, String)
    case badImage(String, String)
    case scenesDiffer(String)
    case badOption(String, String)
    case output(String, String)
    // Store
    case corruptDatabase(String, String)
    case diskFull(String)
    case database(String, String)
    case studyMismatch(String)
    // Requests (the server maps these to HTTP statuses)
    case unknownParticipant
    case unknownTrial
    case notShownYet
    case alreadyAnswered
    case badRequest(String)

    public var description: String {
        switch self {
        case .imageFolder(let path, let why): return "image folder \(path): \(why)"
        case .badImage(let path, let why): return "image \(path): \(why)"
        case .scenesDiffer(let why): return "the sources' scenes do not match: \(why)"
        case .badOption(let flag, let why): return "\(flag): \(why)"
        case .output(let path, let why): return "cannot write \(path): \(why)"
        case .corruptDatabase(let path, let why):
            return "database \(path) is damaged or not a survey database (\(why)); "
                + "it was left untouched: restore it from a copy or start a new file"
        case .diskFull(let path):
            return "database \(path): the disk is full; this answer was NOT stored "
                + "(everything acknowledged before is safe); free space and retry"
        case .database(let path, let why): return "database \(path): \(why)"
        case .studyMismatch(let why): return "this database belongs to another study: \(why)"
        case .unknownParticipant: return "unknown participant token"
        case .unknownTrial: return "no such pair for this participant"
        case .notShownYet: return "this pair has not been shown yet"
        case .alreadyAnswered: return "this pair was already answered"
        case .badRequest(let why): return "bad request: \(why)"
        }
    }
}
