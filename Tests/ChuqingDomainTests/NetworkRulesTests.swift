import Foundation
import Testing

@testable import ChuqingDomain

/// Test images built byte by byte, with metadata where phones put it.
enum TestImages {
    static func segment(_ marker: UInt8, _ payload: [UInt8]) -> [UInt8] {
        let length = payload.count + 2
        return [0xFF, marker, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
    }

    /// A little-endian Exif block with orientation `orientation` and a GPS IFD holding `gps`.
    static func exif(orientation: UInt16, gps: String) -> [UInt8] {
        // TIFF header (II), IFD0 at 8 with 2 entries: orientation (SHORT) and GPS IFD pointer (LONG → 38).
        var tiff: [UInt8] = [0x49, 0x49, 0x2A, 0x00, 0x08, 0x00, 0x00, 0x00, 0x02, 0x00]
        tiff += [0x12, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, UInt8(orientation & 0xFF), UInt8(orientation >> 8), 0x00, 0x00]
        tiff += [0x25, 0x88, 0x04, 0x00, 0x01, 0x00, 0x00, 0x00, 0x26, 0x00, 0x00, 0x00]
        tiff += [0x00, 0x00, 0x00, 0x00]  // no next IFD
        tiff += Array(gps.utf8)
        return Array("Exif".utf8) + [0, 0] + tiff
    }

    /// A JPEG as a phone writes it: JFIF, Exif with GPS, XMP, a comment, the scan, and a trailer
    /// after the end of the image.
    static func phoneJPEG(orientation: UInt16 = 6) -> [UInt8] {
        var bytes: [UInt8] = [0xFF, 0xD8]
        bytes += segment(0xE0, Array("JFIF".utf8) + [0, 1, 1, 0, 0, 1, 0, 1, 0, 0])
        bytes += segment(0xE1, exif(orientation: orientation, gps: "GPS 26.3371N 115.3631E"))
        bytes += segment(0xE1, Array("http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>exif:GPSLatitude=26.33</x:xmpmeta>".utf8))
        bytes += segment(0xED, Array("Photoshop 3.0\0IPTC city 兴国".utf8))
        bytes += segment(0xFE, Array("taken at 高兴镇".utf8))
        bytes += segment(0xDB, [0x00] + [UInt8](repeating: 1, count: 64))
        bytes += segment(0xC0, sof(width: 4_032, height: 3_024))
        bytes += segment(0xDA, [0x01, 0x01, 0x00, 0x00, 0x3F, 0x00])
        bytes += scan
        bytes += [0xFF, 0xD9]
        bytes += Array("SEFT location 26.33,115.36".utf8)
        return bytes
    }

    /// A baseline start-of-frame payload: 8-bit samples, the size, one component.
    static func sof(width: Int, height: Int) -> [UInt8] {
        [8, UInt8(height >> 8), UInt8(height & 0xFF), UInt8(width >> 8), UInt8(width & 0xFF), 1, 1, 0x11, 0]
    }

    /// Entropy-coded bytes, with a stuffed 0xFF 0x00 and a restart marker inside.
    static let scan: [UInt8] = [0x12, 0x34, 0xFF, 0x00, 0x56, 0xFF, 0xD0, 0x78]

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        let crc = ImageMetadata.crc32(body[...])
        let length = UInt32(data.count)
        return [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)] + body
            + [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)]
    }

    static func phonePNG() -> [UInt8] {
        ImageMetadata.pngSignature
            + chunk("IHDR", [0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0])
            + chunk("tEXt", Array("Comment\0GPS 26.3371N".utf8))
            + chunk("eXIf", Array(exif(orientation: 1, gps: "GPS 26.3371N").dropFirst(6)))
            + chunk("IDAT", [0x78, 0x9C, 0x63, 0x60, 0x60, 0x60, 0x00, 0x00, 0x00, 0x04, 0x00, 0x01])
            + chunk("IEND", [])
    }
}

@Suite("Township network: lead photos, visits and the debtor portrait, liaisons")
struct NetworkRulesTests {
    func contains(_ bytes: Data, _ text: String) -> Bool { bytes.range(of: Data(text.utf8)) != nil }

    @Test func aPhoneJPEGLosesItsLocationButKeepsItsPictureAndOrientation() throws {
        let photo = try LeadPhoto(Data(TestImages.phoneJPEG()))
        #expect(photo.contentType == "image/jpeg")
        for leak in ["GPS", "26.33", "xmpmeta", "IPTC", "高兴镇", "SEFT"] {
            #expect(!contains(photo.bytes, leak), "\(leak) survived")
        }
        #expect(contains(photo.bytes, "JFIF"))
        #expect(photo.bytes.range(of: Data(TestImages.scan)) != nil)  // the pixels, byte for byte
        #expect(Array(photo.bytes.suffix(2)) == [0xFF, 0xD9])
        // The orientation is written back alone, so the photo is not shown on its side.
        let bytes = [UInt8](photo.bytes)
        let app1 = try #require(bytes.indices.first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xE1 })
        #expect(ImageMetadata.exifOrientation(Array(bytes[(app1 + 4)...])) == 6)
        // A photo already upright gets no Exif at all.
        let upright = try LeadPhoto(Data(TestImages.phoneJPEG(orientation: 1)))
        #expect(!contains(upright.bytes, "Exif"))
        // Stripping is stable: a stored photo stripped again is unchanged.
        #expect(try LeadPhoto(photo.bytes).bytes == photo.bytes)
    }

    @Test func aPNGLosesItsTextAndExifChunks() throws {
        let photo = try LeadPhoto(Data(TestImages.phonePNG()))
        #expect(photo.contentType == "image/png")
        #expect(!contains(photo.bytes, "GPS") && !contains(photo.bytes, "tEXt") && !contains(photo.bytes, "eXIf"))
        #expect(contains(photo.bytes, "IHDR") && contains(photo.bytes, "IDAT") && contains(photo.bytes, "IEND"))
    }

    @Test func whatIsNotAnIntactPhotoIsRefusedWithTheRule() throws {
        func code(_ bytes: [UInt8]) -> String? {
            do {
                _ = try LeadPhoto(Data(bytes))
                return nil
            } catch { return error.code }
        }
        #expect(code([]) == "empty_photo")
        #expect(code(Array("%PDF-1.7 not a photo".utf8)) == "unsupported_photo")
        #expect(code(Array("GIF89a".utf8)) == "unsupported_photo")
        // JPEG and PNG by their first bytes but broken inside
        #expect(code(Array(TestImages.phoneJPEG().prefix(40))) == "unsupported_photo")
        var badCRC = TestImages.phonePNG()
        badCRC[30] ^= 0xFF
        #expect(code(badCRC) == "unsupported_photo")
        #expect(code(Array(TestImages.phonePNG().dropLast(12))) == "unsupported_photo")  // no IEND
        #expect(code([0xFF, 0xD8, 0xFF] + [UInt8](repeating: 0, count: LeadPhoto.maxBytes)) == "photo_too_large")
        // HTML behind a JPEG's first bytes (a browser that sniffed it would run it)
        #expect(code([0xFF, 0xD8, 0xFF, 0xE0] + Array("<html><script>alert(1)</script></html>".utf8)) == "unsupported_photo")
        // whole segments but no frame header: no size, nothing to show
        var frameless: [UInt8] = [0xFF, 0xD8]
        frameless += TestImages.segment(0xDA, [0x01, 0x01, 0x00, 0x00, 0x3F, 0x00]) + TestImages.scan + [0xFF, 0xD9]
        #expect(code(frameless) == "unsupported_photo")
        // a small file that claims a picture too large to decode safely
        var huge: [UInt8] = [0xFF, 0xD8]
        huge += TestImages.segment(0xC0, TestImages.sof(width: 60_000, height: 60_000))
        huge += TestImages.segment(0xDA, [0x01, 0x01, 0x00, 0x00, 0x3F, 0x00]) + TestImages.scan + [0xFF, 0xD9]
        #expect(code(huge) == "photo_too_large")
        #expect(
            code(
                ImageMetadata.pngSignature + TestImages.chunk("IHDR", [0, 0, 0x27, 0x10, 0, 0, 0, 1, 8, 2, 0, 0, 0])
                    + TestImages.chunk("IDAT", [0x78, 0x9C, 0x63, 0x60, 0x60, 0x60, 0x00, 0x00, 0x00, 0x04, 0x00, 0x01])
                    + TestImages.chunk("IEND", [])) == "photo_too_large")  // 10,000 × 1
        // the same rules for a debtor's photo
        #expect(throws: DomainError.self) { try DebtorPhoto(Data(huge)) }
        #expect(try DebtorPhoto(Data(TestImages.phoneJPEG())).contentType == "image/jpeg")
    }

    @Test func thePortraitShowsTheNewestValueOfEachFactAndKeepsTheOlderOnes() throws {
        let today = d("2026-03-02")
        func visit(_ on: String, _ facts: [Visit.Fact: String], found: Bool = true, by: String = "钟专员") throws -> Visit {
            try Visit(visitedOn: d(on), visitors: by, foundAtHome: found, facts: facts, note: nil, today: today)
        }
        let portrait = DebtorPortrait(visits: [
            .init(id: "v1", visit: try visit("2026-01-10", [.whereabouts: "外出务工", .family: "妻子在家"], found: false), sequence: 0),
            .init(id: "v3", visit: try visit("2026-02-20", [.whereabouts: "在县城建材市场", .attitude: "愿分期"], by: "曾联络员"), sequence: 2),
            // reported later about an earlier day: it does not replace the newer observation
            .init(id: "v2", visit: try visit("2026-02-01", [.whereabouts: "在广东", .phone: "13912345678"], found: false), sequence: 3),
            // the same day as v3, reported after it: the later report wins
            .init(id: "v4", visit: try visit("2026-02-20", [.attitude: "拒绝履行"], by: "黄网格员"), sequence: 4),
        ])
        let whereabouts = try #require(portrait.fields.first { $0.fact == .whereabouts })
        #expect(
            whereabouts.current.value == "在县城建材市场" && whereabouts.current.observedOn == d("2026-02-20")
                && whereabouts.current.visitId == "v3")
        #expect(whereabouts.values.map(\.value) == ["在县城建材市场", "在广东", "外出务工"])  // nothing overwritten
        #expect(portrait.fields.first { $0.fact == .attitude }?.current.value == "拒绝履行")
        #expect(portrait.fields.first { $0.fact == .attitude }?.values.count == 2)
        #expect(portrait.fields.first { $0.fact == .phone }?.current.visitors == "钟专员")
        #expect(portrait.fields.map(\.fact) == [.phone, .whereabouts, .family, .attitude])  // Visit.Fact order; unreported facts absent
        #expect(portrait.visitCount == 4 && portrait.lastVisitedOn == d("2026-02-20") && portrait.lastFoundOn == d("2026-02-20"))
        #expect(DebtorPortrait(visits: []).fields.isEmpty)
    }

    @Test func aVisitIsCheckedWithTheRule() {
        let today = d("2026-03-02")
        func code(on: String = "2026-03-01", visitors: String = "钟专员", found: Bool = true, facts: [Visit.Fact: String] = [.work: "务农"])
            -> String?
        {
            do {
                _ = try Visit(visitedOn: d(on), visitors: visitors, foundAtHome: found, facts: facts, note: nil, today: today)
                return nil
            } catch {
                return error.code
            }
        }
        #expect(code() == nil)
        #expect(code(on: "2026-03-03") == "date_in_future")
        #expect(code(visitors: "  ") == "visitors_required")
        #expect(code(facts: [:]) == "visit_empty")  // found at home and said nothing
        #expect(code(found: false, facts: [:]) == nil)  // nobody home is still a visit
        #expect(code(facts: [.phone: "call me"]) == "invalid_phone")
        #expect(code(facts: [.work: String(repeating: "字", count: 501)]) == "field_too_long")
        let blank = try? Visit(
            visitedOn: today, visitors: "x", foundAtHome: false, facts: [.work: "  ", .family: "独居"], note: " ", today: today)
        #expect(blank?.facts == [.family: "独居"] && blank?.note == nil)  // empty answers are not facts
    }

    @Test func liaisonsAreCommissionersOrBoundToAVillage() throws {
        func code(_ role: Role, township: String? = "360732-05", kind: LiaisonKind? = nil, village: String? = nil, phone: String? = nil)
            -> String?
        {
            let user = User(
                id: UUID(), username: try! Username("zhong"), displayName: "钟", role: role, townshipCode: township,
                liaisonKind: kind, villageID: village, officePhone: phone)
            do {
                try user.validate()
                return nil
            } catch { return error.code }
        }
        #expect(code(.liaison) == nil)  // commissioner by default
        #expect(code(.liaison, kind: .villageLiaison) == "village_required")
        #expect(code(.liaison, kind: .assistant, village: "v") == nil)
        #expect(code(.liaison, kind: .commissioner, village: "v") == "village_not_allowed")
        #expect(code(.judge, township: nil, kind: .assistant) == "liaison_kind_not_allowed")
        #expect(code(.judge, township: nil, phone: "0797-5321001") == nil)
        #expect(code(.judge, township: nil, phone: "ext 12") == "invalid_phone")
        #expect(throws: DomainError.self) { try LiaisonKind.parse("grid") }
    }

    @Test func onlyAVerifiedLeadNamesWhatItLedTo() throws {
        #expect(try LeadOutcome.parse(kind: nil, id: nil, status: .rejected) == nil)
        #expect(try LeadOutcome.parse(kind: "payment", id: "ABC", status: .verified) == LeadOutcome(kind: .payment, id: "abc"))
        func code(_ kind: String?, _ id: String?, _ status: LeadStatus) -> String? {
            do {
                _ = try LeadOutcome.parse(kind: kind, id: id, status: status)
                return nil
            } catch { return error.code }
        }
        #expect(code("payment", "x", .rejected) == "outcome_not_allowed")
        #expect(code("auction", "x", .verified) == "unknown_outcome_kind")
        #expect(code("measure", " ", .verified) == "outcome_id_required")
    }
}
