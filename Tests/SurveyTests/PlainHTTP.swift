import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A minimal HTTP/1.1 client over a socket to 127.0.0.1, one request per connection.
/// chromedriver writes headers without a space after the colon ("Content-Length:250"), which
/// FoundationNetworking's URLSession on Linux rejects ("Failed writing header"), so the
/// WebDriver client speaks HTTP itself. Blocking I/O runs on its own thread.
enum PlainHTTP {
    struct Failure: Error, CustomStringConvertible { let description: String }

    /// A port of 127.0.0.1 that was free a moment ago (bound to port 0, then released).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket() failed") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0
            }
        }
        guard ok else { throw Failure(description: "no free port") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    static func request(port: Int, _ method: String, _ path: String, body: Data?) async throws -> (
        Int, Data
    ) {
        try await withCheckedThrowingContinuation { c in
            Thread {
                c.resume(with: Result { try blocking(port: port, method, path, body: body) })
            }.start()
        }
    }

    static func blocking(port: Int, _ method: String, _ path: String, body: Data?) throws -> (
        Int, Data
    ) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket() failed") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let ok = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard ok == 0 else { throw Failure(description: "connect to 127.0.0.1:\(port) failed") }
        let payload = body ?? Data()
        var head = "\(method) /\(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        head += "Content-Type: application/json\r\nContent-Length: \(payload.count)\r\n\r\n"
        let out = Data(head.utf8) + payload
        try out.withUnsafeBytes { raw in
            var sent = 0
            while sent < raw.count {
                let n = send(fd, raw.baseAddress! + sent, raw.count - sent, 0)
                guard n > 0 else { throw Failure(description: "send failed") }
                sent += n
            }
        }
        // Read the head, then exactly Content-Length bytes (chromedriver keeps the connection
        // open whatever "Connection: close" says), or to the end for chunked answers.
        var response = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        var headEnd: Range<Data.Index>?
        var length: Int?
        while true {
            if let h = headEnd {
                if let l = length, response.count - h.upperBound >= l { break }
                if length == nil, response.suffix(5) == Data("0\r\n\r\n".utf8) { break }
            }
            let n = recv(fd, &buffer, buffer.count, 0)
            if n < 0 { throw Failure(description: "recv failed or timed out") }
            if n == 0 { break }
            response.append(contentsOf: buffer[0..<n])
            if headEnd == nil, let r = response.range(of: Data("\r\n\r\n".utf8)) {
                headEnd = r
                let head = String(decoding: response[..<r.lowerBound], as: UTF8.self).lowercased()
                for line in head.split(separator: "\r\n") where line.hasPrefix("content-length:") {
                    length = Int(
                        line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)
                    )
                }
            }
        }
        guard let split = headEnd else { throw Failure(description: "malformed HTTP response") }
        let status =
            String(decoding: response[..<split.lowerBound], as: UTF8.self)
            .split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        var content = Data(response[split.upperBound...])
        if length == nil { content = dechunk(content) }
        return (status, content)
    }

    static func dechunk(_ d: Data) -> Data {
        var out = Data()
        var i = d.startIndex
        while let lineEnd = d[i...].range(of: Data("\r\n".utf8)) {
            let size =
                Int(String(decoding: d[i..<lineEnd.lowerBound], as: UTF8.self), radix: 16) ?? 0
            if size == 0 { break }
            let start = lineEnd.upperBound
            out.append(d[start..<min(d.endIndex, start + size)])
            i = min(d.endIndex, start + size + 2)
        }
        return out
    }
}
