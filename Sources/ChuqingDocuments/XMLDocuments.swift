internal import CLibXML2
internal import CLibXSLT
import Synchronization

/// Why a document could not be validated or rendered.
public struct DocumentError: Error, Equatable, CustomStringConvertible {
    public let description: String

    public init(description: String) {
        self.description = description
    }
}

/// Canonical XML → XSD validation → XSLT 1.0 rendering, through libxml2 and libxslt.
///
/// Safe for XML that did not come from the project: external entities are never substituted
/// (no `XML_PARSE_NOENT`), the network is off (`XML_PARSE_NONET`), DTD loading is off, and
/// stylesheets run under a libxslt security policy that forbids reading or writing files and
/// network access.
public enum XMLDocuments {
    static let parseOptions = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue)

    /// Validates `xml` against the XSD `schema`; the error lists libxml2's messages.
    public static func validate(_ xml: String, schema: String) throws {
        try XMLSchema(schema, name: "schema").validate(xml)
    }

    /// Transforms `xml` with the XSLT 1.0 `stylesheet` and returns the output as text.
    public static func transform(_ xml: String, stylesheet: String) throws -> String {
        try XSLTStylesheet(stylesheet, name: "stylesheet").transform(xml)
    }

    /// Parses `text` (named `name` in messages); the caller frees the document.
    static func parse(_ text: String, name: String) throws -> xmlDocPtr {
        var text = text
        guard !text.isEmpty else { throw DocumentError(description: "\(name) 是空的") }
        // A native string is contiguous UTF-8 already: parse it in place, without a copy.
        let document = text.withUTF8 { bytes in
            bytes.baseAddress!.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                xmlReadMemory($0, Int32(bytes.count), name, "UTF-8", parseOptions)
            }
        }
        guard let document else {
            throw DocumentError(description: "\(name) 不是格式正确的 XML：\(lastError())")
        }
        return document
    }

    /// libxml2's last error with its line, as "第 N 行：message".
    static func lastError() -> String {
        guard let error = xmlGetLastError() else { return "未知错误" }
        let message = error.pointee.message.map { String(cString: $0).trimmed } ?? "未知错误"
        return error.pointee.line > 0 ? "第 \(error.pointee.line) 行：\(message)" : message
    }
}

/// A compiled XSD, loaded once and used for every validation.
public final class XMLSchema: @unchecked Sendable {
    // Immutable after init; libxml2 allows one compiled schema to validate in several threads,
    // each with its own validation context.
    private let compiled: xmlSchemaPtr
    public let name: String

    /// Compiles the XSD `text`; `name` (its file) appears in every message.
    public init(_ text: String, name: String) throws {
        self.name = name
        let document = try XMLDocuments.parse(text, name: name)
        defer { xmlFreeDoc(document) }
        guard let parserContext = xmlSchemaNewDocParserCtxt(document) else { throw DocumentError(description: "\(name)：XSD 无法读取") }
        defer { xmlSchemaFreeParserCtxt(parserContext) }
        guard let compiled = xmlSchemaParse(parserContext) else {
            throw DocumentError(description: "\(name)：XSD 不合规：\(XMLDocuments.lastError())")
        }
        self.compiled = compiled
    }

    deinit { xmlSchemaFree(compiled) }

    /// Throws with the first violation and its line when `xml` does not conform.
    public func validate(_ xml: String) throws {
        let document = try XMLDocuments.parse(xml, name: "document")
        defer { xmlFreeDoc(document) }
        guard let validation = xmlSchemaNewValidCtxt(compiled) else { throw DocumentError(description: "无法创建校验上下文") }
        defer { xmlSchemaFreeValidCtxt(validation) }
        if xmlSchemaValidateDoc(validation, document) != 0 {
            throw DocumentError(description: "文档不符合 \(name)：\(XMLDocuments.lastError())")
        }
    }
}

/// A compiled XSLT 1.0 stylesheet, loaded once (at start-up) and applied many times.
public final class XSLTStylesheet: @unchecked Sendable {
    // Immutable after init; libxslt applies one compiled stylesheet in several threads, each
    // transformation with its own transform context.
    private let compiled: xsltStylesheetPtr
    public let name: String

    /// Compiles `text`. A stylesheet that is not well-formed, or not valid XSLT, is refused with
    /// libxslt's messages, which name `name` (the file) and the line.
    public init(_ text: String, name: String) throws {
        self.name = name
        // libxslt's error callback is one process-wide setting: compile one stylesheet at a time.
        self.compiled = try Self.compiling.withLock { _ in try Self.compile(text, name: name) }
    }

    /// Serialises compiling (start-up and tests only; transforms run in parallel).
    private static let compiling = Mutex(())

    /// The buffer libxslt's messages are collected into while a stylesheet compiles. It lives as
    /// long as the process: a transform on another thread that reports an error just as
    /// collection stops may still write into it. Its last byte stays NUL, so it is always a
    /// terminated string.
    nonisolated(unsafe) private static let errors: UnsafeMutablePointer<CChar> = {
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CHUQING_XSLT_ERROR_SIZE) + 1)
        buffer.initialize(repeating: 0, count: Int(CHUQING_XSLT_ERROR_SIZE) + 1)
        return buffer
    }()

    private static func compile(_ text: String, name: String) throws -> xsltStylesheetPtr {
        let errors = Self.errors
        chuqing_xslt_collect_errors(errors)
        defer { chuqing_xslt_stop_collecting() }
        let document: xmlDocPtr
        do {
            document = try XMLDocuments.parse(text, name: name)
        } catch {
            // The collected messages start with the first error ("file:line: parser error : …"),
            // which names the real mistake; the last one only says where parsing gave up.
            let messages = String(cString: errors).trimmed
            throw DocumentError(description: "样式表 \(name) 不是格式正确的 XML：\(messages.isEmpty ? "\(error)" : messages)")
        }
        // The compiled stylesheet owns (and frees) the document; when compiling fails outright,
        // libxslt leaves the document to the caller.
        let compiled = xsltParseStylesheetDoc(document)
        guard let compiled, compiled.pointee.errors == 0 else {
            if let compiled { xsltFreeStylesheet(compiled) } else { xmlFreeDoc(document) }
            let messages = String(cString: errors).trimmed
            throw DocumentError(description: "样式表 \(name) 有错误：\(messages.isEmpty ? "无法编译" : messages)")
        }
        return compiled
    }

    deinit { xsltFreeStylesheet(compiled) }

    /// Transforms `xml`. Each parameter is passed as a string (never evaluated as XPath).
    public func transform(_ xml: String, parameters: [(String, String)] = []) throws -> String {
        let document = try XMLDocuments.parse(xml, name: "document")
        defer { xmlFreeDoc(document) }
        guard let context = xsltNewTransformContext(compiled, document) else { throw DocumentError(description: "无法创建转换上下文") }
        defer { xsltFreeTransformContext(context) }
        let preferences = xsltNewSecurityPrefs()
        defer { xsltFreeSecurityPrefs(preferences) }
        for option in [
            XSLT_SECPREF_READ_FILE, XSLT_SECPREF_WRITE_FILE, XSLT_SECPREF_CREATE_DIRECTORY,
            XSLT_SECPREF_READ_NETWORK, XSLT_SECPREF_WRITE_NETWORK,
        ] {
            xsltSetSecurityPrefs(preferences, option, xsltSecurityForbid)
        }
        xsltSetCtxtSecurityPrefs(preferences, context)
        for (key, value) in parameters {
            let status = key.withCString { key in
                value.withCString { value in
                    xsltQuoteOneUserParam(
                        context, UnsafeRawPointer(key).assumingMemoryBound(to: xmlChar.self),
                        UnsafeRawPointer(value).assumingMemoryBound(to: xmlChar.self))
                }
            }
            guard status == 0 else { throw DocumentError(description: "参数 \(key) 无法传入样式表 \(name)") }
        }
        guard let output = xsltApplyStylesheetUser(compiled, document, nil, nil, nil, context) else {
            throw DocumentError(description: "样式表 \(name) 转换失败")
        }
        defer { xmlFreeDoc(output) }
        var buffer: UnsafeMutablePointer<xmlChar>?
        var length: Int32 = 0
        guard xsltSaveResultToString(&buffer, &length, output, compiled) == 0 else {
            throw DocumentError(description: "无法输出样式表 \(name) 的结果")
        }
        guard let buffer else { return "" }
        defer { chuqing_xmlFree(buffer) }
        return String(decoding: UnsafeBufferPointer(start: buffer, count: Int(length)), as: UTF8.self)
    }
}

extension String {
    /// Without leading and trailing white space (libxml2's messages end in a newline). Written
    /// here because Foundation and libxml2's ICU headers cannot be imported in one file.
    fileprivate var trimmed: String {
        String(self.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
