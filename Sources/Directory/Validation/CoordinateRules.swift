import GBCore

/// The coordinate rules: the Lu'an form's "at least 6 decimals, the 6th not 0" (a sign the point was
/// surveyed rather than typed), inside China, not 0/0, not swapped, near the division it is filed in.
struct CoordinateRules {
    let divisions: DivisionTable
    let limits: CameraValidator.Limits

    func check(_ record: CameraRecord, codeDivision: String?, into sink: inout FindingSink) {
        let lonText = record[.longitude].trimmedWhitespace
        let latText = record[.latitude].trimmedWhitespace
        guard !lonText.isEmpty, !latText.isEmpty else { return }
        guard let lon = Double(lonText), let lat = Double(latText), lon.isFinite, lat.isFinite else {
            for (field, text) in [(CameraField.longitude, lonText), (.latitude, latText)] where Double(text) == nil {
                sink.add(.coordNotNumber, field, text, zh: "“\(field.header.zh)”的值“\(text)”不是数字",
                         en: "\(field.header.en) '\(text)' is not a number")
            }
            return
        }
        checkPrecision(.longitude, lonText, into: &sink)
        checkPrecision(.latitude, latText, into: &sink)
        let point = GeoPoint(longitude: lon, latitude: lat)
        if lon == 0 && lat == 0 {
            sink.add(.coordZero, .longitude, "0,0", zh: "经纬度为0,0，未采集", en: "coordinates are 0,0: never surveyed")
            return
        }
        if !point.isInsideChina {
            let swapped = GeoPoint(longitude: lat, latitude: lon)
            if swapped.isInsideChina {
                sink.add(.coordSwapped, .longitude, "\(lonText),\(latText)",
                         zh: "经度\(lonText)与纬度\(latText)填反了", en: "longitude \(lonText) and latitude \(latText) are swapped")
            } else {
                sink.add(.coordOutsideChina, .longitude, "\(lonText),\(latText)",
                         zh: "经纬度(\(lonText), \(latText))不在中国境内", en: "(\(lonText), \(latText)) is outside China")
            }
            return
        }
        checkDistance(point, record: record, codeDivision: codeDivision, into: &sink)
    }

    private func checkPrecision(_ field: CameraField, _ text: String, into sink: inout FindingSink) {
        let decimals = text.split(separator: ".", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
        if decimals.count < 6 || !decimals.allSatisfy({ ("0"..."9").contains($0) }) {
            sink.add(.coordPrecision, field, text, zh: "“\(field.header.zh)”\(text)只有\(decimals.count)位小数，应至少6位",
                     en: "\(field.header.en) \(text) has \(decimals.count) decimals; at least 6 are needed")
        } else if Array(decimals)[5] == "0" {
            sink.add(.coordSixthZero, field, text, zh: "“\(field.header.zh)”\(text)第6位小数为0，疑似未实测",
                     en: "\(field.header.en) \(text) has 0 as its 6th decimal: likely not surveyed")
        }
    }

    private func checkDistance(_ point: GeoPoint, record: CameraRecord, codeDivision: String?, into sink: inout FindingSink) {
        let written = record[.division].trimmedWhitespace
        let divisionCode = divisions.division(code: written) != nil ? written : codeDivision
        guard let divisionCode, let division = divisions.division(code: divisionCode),
              let centre = divisions.centre(code: divisionCode) else { return }
        let kilometres = point.distance(to: centre) / 1000
        let where_ = "\(point.longitude),\(point.latitude)"
        if kilometres > limits.outsideDivisionKilometres {
            sink.add(.coordOutsideDivision, .longitude, where_,
                     zh: "点位距\(division.name)中心\(Int(kilometres))公里，超出\(Int(limits.outsideDivisionKilometres))公里，不在所属区划",
                     en: "the point is \(Int(kilometres)) km from the centre of \(division.name), beyond \(Int(limits.outsideDivisionKilometres)) km")
        } else if kilometres > limits.farFromDivisionKilometres {
            sink.add(.coordFarFromDivision, .longitude, where_,
                     zh: "点位距\(division.name)中心\(Int(kilometres))公里，请核实", en: "the point is \(Int(kilometres)) km from the centre of \(division.name)")
        }
    }
}
