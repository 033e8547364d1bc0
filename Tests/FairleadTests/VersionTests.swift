import Testing
@testable import Fairlead

@Test func versionIsSemantic() {
    #expect(FairleadVersion.current.split(separator: ".").count == 3)
}
