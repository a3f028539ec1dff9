import Testing
@testable import Survey
@Test func placeholder() { #expect(Bool(true)) }
