import ChuqingTestSupport
import Foundation
import Testing

@testable import ChuqingDocuments

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Reading text files in the encodings Excel writes")
struct TextFileTests {
    static let csv = "案号,被执行人\n（2023）赣0732执1022号,陈某生\n"

    @Test func utf8WithAndWithoutBOM() throws {
        let plain = try TextFile(Data(Self.csv.utf8))
        #expect(plain.encoding == .utf8 && plain.text == Self.csv)
        let withBOM = try TextFile(Data([0xEF, 0xBB, 0xBF] + Array(Self.csv.utf8)))
        #expect(withBOM.encoding == .utf8WithBOM && withBOM.text == Self.csv)
    }

    @Test func gbkAndGB18030AreRead() throws {
        let gbk = TestSupport.encoded(Self.csv, as: "GBK")
        #expect(gbk != Data(Self.csv.utf8))
        let file = try TextFile(gbk)
        #expect(file.encoding == .gb18030 && file.text == Self.csv)
        // a character outside GBK (GB18030's four-byte range)
        let rare = "𠀀某"
        #expect(try TextFile(TestSupport.encoded(rare, as: "GB18030")).text == rare)
    }

    @Test func utf16WithABOMIsRead() throws {
        let little = Data([0xFF, 0xFE]) + TestSupport.encoded(Self.csv, as: "UTF-16LE")
        let file = try TextFile(little)
        #expect(file.encoding == .utf16 && file.text == Self.csv)
        let big = Data([0xFE, 0xFF]) + TestSupport.encoded(Self.csv, as: "UTF-16BE")
        #expect(try TextFile(big).text == Self.csv)
    }

    @Test func anUndecodableFileNamesTheByte() {
        // valid GBK for six bytes (案号,A), then 0xFF, which no accepted encoding has there
        let bytes = TestSupport.encoded("案号,", as: "GBK") + Data([0x41, 0xFF, 0x41])
        #expect(throws: TextFile.Undecodable(offset: 6, byte: 0xFF)) { try TextFile(bytes) }
    }
}
