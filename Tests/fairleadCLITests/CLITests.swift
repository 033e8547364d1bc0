import Testing
import Foundation

@Test func placeholder() {}
