import Directory
import Foundation
import GBCore
import Vapor

/// A finding as the API shows it: the message in the request's language, plus both.
struct FindingDTO: Content {
    var row: Int
    var code: String
    var field: String?
    var fieldLabel: String?
    var rule: String
    var severity: String
    var value: String
    var message: String
    var zh: String
    var en: String

    init(_ finding: Finding, language: Language) {
        row = finding.row
        code = finding.code
        field = finding.field?.rawValue
        fieldLabel = finding.field?.header.text(for: language)
        rule = finding.rule.rawValue
        severity = finding.severity.rawValue
        value = finding.value
        message = finding.message.text(for: language)
        zh = finding.message.zh
        en = finding.message.en
    }
}

struct CameraDTO: Content {
    var id: Int
    var code: String
    var record: CameraRecord
    var findings: [FindingDTO]
    var errorCount: Int
    var warningCount: Int
    var shareable: Bool
    var createdAt: Date
    var updatedAt: Date
    /// Whether the asking user may edit this camera, by the authorizer (the console shows the edit
    /// button from this); absent in lists.
    var mayEdit: Bool?

    init(_ camera: StoredCamera, language: Language, mayEdit: Bool? = nil) {
        id = camera.id
        code = camera.record.code
        record = camera.record
        findings = camera.findings.map { FindingDTO($0, language: language) }
        errorCount = camera.errorCount
        warningCount = camera.warningCount
        shareable = camera.isShareable
        createdAt = camera.createdAt
        updatedAt = camera.updatedAt
        self.mayEdit = mayEdit
    }
}

struct CameraPageDTO: Content {
    var items: [CameraDTO]
    var nextCursor: String?
    var total: Int?
}

extension CameraQuery {
    /// Reads the list filters from the query string (names as in the OpenAPI document).
    init(request: Request) throws {
        self.init()
        divisionPrefix = request.query[String.self, at: "division"]
        department = request.query[String.self, at: "department"]
        pointClass = request.query[String.self, at: "pointClass"]
        cameraType = request.query[String.self, at: "cameraType"]
        deviceStatus = request.query[String.self, at: "deviceStatus"]
        shareAttribute = request.query[String.self, at: "shareAttribute"]
        networkStatus = request.query[String.self, at: "networkStatus"]
        platformCode = request.query[String.self, at: "platformCode"]
        text = request.query[String.self, at: "q"]
        // Vapor decodes a missing Bool as false: only filter when the parameter is really given.
        if let flag = request.query[String.self, at: "hasErrors"] {
            hasErrors = ["1", "true", "yes"].contains(flag.lowercased())
        }
        if let box = request.query[String.self, at: "bbox"] {
            let parts = box.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 4 else {
                throw APIError.badRequest("bbox应为“最小经度,最小纬度,最大经度,最大纬度”", "bbox is minLon,minLat,maxLon,maxLat")
            }
            boundingBox = parts
        }
        if let sortText = request.query[String.self, at: "sort"] {
            let descending = sortText.hasPrefix("-")
            guard let sort = Sort(rawValue: String(sortText.drop { $0 == "-" })) else {
                throw APIError.badRequest("排序字段只能是\(Sort.allCases.map(\.rawValue).joined(separator: "、"))",
                                          "sort must be one of \(Sort.allCases.map(\.rawValue).joined(separator: ", ")), '-' for descending")
            }
            self.sort = sort
            self.descending = descending
        }
        limit = request.query[Int.self, at: "limit"] ?? 50
        cursor = request.query[String.self, at: "cursor"]
        includeTotal = request.query[Bool.self, at: "total"] ?? false
    }
}
