import ChuqingDocuments
import Foundation
import Testing

@Suite("XML documents")
struct XMLDocumentsTests {
    static let schema = """
        <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
          <xs:element name="notice">
            <xs:complexType>
              <xs:sequence><xs:element name="name" type="xs:string"/></xs:sequence>
              <xs:attribute name="issue" type="xs:positiveInteger" use="required"/>
            </xs:complexType>
          </xs:element>
        </xs:schema>
        """

    static let stylesheet = """
        <xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
          <xsl:output method="text" encoding="UTF-8"/>
          <xsl:template match="/notice">第<xsl:value-of select="@issue"/>期：<xsl:value-of select="name"/></xsl:template>
        </xsl:stylesheet>
        """

    @Test
    func aValidDocumentRendersThroughTheStylesheet() throws {
        let xml = "<notice issue=\"3\"><name>张三</name></notice>"
        try XMLDocuments.validate(xml, schema: Self.schema)
        #expect(try XMLDocuments.transform(xml, stylesheet: Self.stylesheet) == "第3期：张三")
    }

    @Test
    func anInvalidDocumentIsRefusedWithTheReason() {
        #expect(throws: DocumentError.self) {
            try XMLDocuments.validate("<notice issue=\"0\"><name>张三</name></notice>", schema: Self.schema)
        }
        #expect(throws: DocumentError.self) {
            try XMLDocuments.validate("<notice issue=\"1\">", schema: Self.schema)
        }
    }

    @Test
    func externalEntitiesAreNeverRead() throws {
        // setup: a file an attacker would like to read
        let secret = FileManager.default.temporaryDirectory.appendingPathComponent("chuqing-secret-\(UUID().uuidString)")
        try "TOP-SECRET".write(to: secret, atomically: true, encoding: .utf8)
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE notice [<!ENTITY x SYSTEM "file://\(secret.path)">]>
            <notice issue="1"><name>&x;</name></notice>
            """
        // act
        let output = (try? XMLDocuments.transform(xml, stylesheet: Self.stylesheet)) ?? ""
        // check
        #expect(!output.contains("TOP-SECRET"))
    }

    @Test
    func stylesheetsMayNotReadFiles() throws {
        let secret = FileManager.default.temporaryDirectory.appendingPathComponent("chuqing-secret-\(UUID().uuidString).xml")
        try "<s>TOP-SECRET</s>".write(to: secret, atomically: true, encoding: .utf8)
        let sneaky = """
            <xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
              <xsl:output method="text"/>
              <xsl:template match="/"><xsl:value-of select="document('file://\(secret.path)')/s"/></xsl:template>
            </xsl:stylesheet>
            """
        let output = (try? XMLDocuments.transform("<notice issue=\"1\"><name>x</name></notice>", stylesheet: sneaky)) ?? ""
        #expect(!output.contains("TOP-SECRET"))
    }
}
