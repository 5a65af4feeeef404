internal import CLibXML2
internal import CLibXSLT

/// Why a document could not be validated or rendered.
public struct DocumentError: Error, Equatable, CustomStringConvertible {
    public let description: String
}

/// Canonical XML → XSD validation → XSLT 1.0 rendering, through libxml2 and libxslt.
///
/// Safe for XML that did not come from the project: external entities are never substituted
/// (no `XML_PARSE_NOENT`), the network is off (`XML_PARSE_NONET`), DTD loading is off, and
/// stylesheets run under a libxslt security policy that forbids reading or writing files and
/// network access.
public enum XMLDocuments {
    private static let parseOptions = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue)

    /// Validates `xml` against the XSD `schema`; the error lists libxml2's messages.
    public static func validate(_ xml: String, schema: String) throws {
        let document = try parse(xml, name: "document")
        defer { xmlFreeDoc(document) }
        let schemaDocument = try parse(schema, name: "schema")
        defer { xmlFreeDoc(schemaDocument) }
        guard let parserContext = xmlSchemaNewDocParserCtxt(schemaDocument) else { throw DocumentError(description: "XSD 无法读取") }
        defer { xmlSchemaFreeParserCtxt(parserContext) }
        guard let compiled = xmlSchemaParse(parserContext) else { throw DocumentError(description: "XSD 不合规") }
        defer { xmlSchemaFree(compiled) }
        guard let validation = xmlSchemaNewValidCtxt(compiled) else { throw DocumentError(description: "无法创建校验上下文") }
        defer { xmlSchemaFreeValidCtxt(validation) }
        let result = xmlSchemaValidateDoc(validation, document)
        if result != 0 {
            let message = xmlGetLastError().flatMap { $0.pointee.message.map { String(cString: $0) } } ?? "未知错误"
            throw DocumentError(description: "文档不符合 XSD：\(message.trimmed)")
        }
    }

    /// Transforms `xml` with the XSLT 1.0 `stylesheet` and returns the output as text.
    public static func transform(_ xml: String, stylesheet: String) throws -> String {
        let document = try parse(xml, name: "document")
        defer { xmlFreeDoc(document) }
        // The stylesheet document is owned (and freed) by the compiled stylesheet.
        let styleDocument = try parse(stylesheet, name: "stylesheet")
        guard let compiled = xsltParseStylesheetDoc(styleDocument) else {
            xmlFreeDoc(styleDocument)
            throw DocumentError(description: "XSLT 样式表不合规")
        }
        defer { xsltFreeStylesheet(compiled) }
        guard let context = xsltNewTransformContext(compiled, document) else { throw DocumentError(description: "无法创建转换上下文") }
        defer { xsltFreeTransformContext(context) }
        let preferences = xsltNewSecurityPrefs()
        defer { xsltFreeSecurityPrefs(preferences) }
        for option in [XSLT_SECPREF_READ_FILE, XSLT_SECPREF_WRITE_FILE, XSLT_SECPREF_CREATE_DIRECTORY,
                       XSLT_SECPREF_READ_NETWORK, XSLT_SECPREF_WRITE_NETWORK] {
            xsltSetSecurityPrefs(preferences, option, xsltSecurityForbid)
        }
        xsltSetCtxtSecurityPrefs(preferences, context)
        guard let output = xsltApplyStylesheetUser(compiled, document, nil, nil, nil, context) else {
            throw DocumentError(description: "XSLT 转换失败")
        }
        defer { xmlFreeDoc(output) }
        var buffer: UnsafeMutablePointer<xmlChar>?
        var length: Int32 = 0
        guard xsltSaveResultToString(&buffer, &length, output, compiled) == 0 else {
            throw DocumentError(description: "无法输出转换结果")
        }
        guard let buffer else { return "" }
        defer { chuqing_xmlFree(buffer) }
        return String(decoding: UnsafeBufferPointer(start: buffer, count: Int(length)), as: UTF8.self)
    }

    private static func parse(_ text: String, name: String) throws -> xmlDocPtr {
        let bytes = Array(text.utf8)
        let document = bytes.withUnsafeBufferPointer { pointer in
            pointer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                xmlReadMemory($0, Int32(bytes.count), "\(name).xml", "UTF-8", parseOptions)
            }
        }
        guard let document else {
            let message = xmlGetLastError().flatMap { $0.pointee.message.map { String(cString: $0) } } ?? ""
            throw DocumentError(description: "\(name) 不是格式正确的 XML：\(message.trimmed)")
        }
        return document
    }
}

extension String {
    /// Without leading and trailing white space (libxml2's messages end in a newline). Written
    /// here because Foundation and libxml2's ICU headers cannot be imported in one file.
    fileprivate var trimmed: String {
        String(self.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
