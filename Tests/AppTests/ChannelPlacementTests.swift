@testable import App
import Testing

/// Attack (issue 11 item 3): a registered device that lists another department's camera in its catalog
/// does not get that camera's INVITEs.
@Suite struct ChannelPlacementTests {
    @Test("a camera is served by the device its platform code names, and by no other")
    func platformCodeDecides() {
        let placement = DirectoryPlacement(platformCode: "44152300001180000001", department: "06",
                                           candidateDepartments: ["44152300001180000001": "06", "44152300001180000002": "06"])
        #expect(placement.mayServe("44152300001180000001"))
        #expect(!placement.mayServe("44152300001180000002"), "a device of the same department but not the filed one")
    }

    @Test("without a platform code: only a device filed by the camera's own department")
    func departmentDecidesWithoutPlatformCode() {
        let placement = DirectoryPlacement(platformCode: "", department: "06",
                                           candidateDepartments: ["44152300001180000001": "06", "44152300001180000009": "19"])
        #expect(placement.mayServe("44152300001180000001"))
        #expect(!placement.mayServe("44152300001180000009"), "the health department's NVR cannot speak for a police camera")
        #expect(!placement.mayServe("44152300001180000077"), "a device nobody filed")
        #expect(!DirectoryPlacement(platformCode: "", department: nil, candidateDepartments: [:]).mayServe("44152300001180000001"))
    }
}
