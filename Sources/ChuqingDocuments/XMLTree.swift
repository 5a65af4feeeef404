internal import CLibXML2

/// A read-only view of a parsed XML document, for reading spreadsheet parts. Parsed with the same
/// safe options as every document (no entity substitution, no network).
final class XMLTree {
    private let document: xmlDocPtr

    /// Parses `bytes`; nil when they are not well-formed XML. No `XML_PARSE_HUGE`: libxml2's own
    /// limits on names, depth and entity amplification stay on.
    init?(_ bytes: [UInt8]) {
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue)
        guard !bytes.isEmpty,
            let document = bytes.withUnsafeBufferPointer({ pointer in
                pointer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                    xmlReadMemory($0, Int32(bytes.count), "part.xml", "UTF-8", options)
                }
            })
        else { return nil }
        self.document = document
    }

    deinit { xmlFreeDoc(document) }

    /// The root element.
    var root: XMLElement? { xmlDocGetRootElement(document).map { XMLElement(tree: self, node: $0) } }
}

/// An element of an `XMLTree`. It holds the tree, so the document outlives every element taken
/// from it.
struct XMLElement {
    let tree: XMLTree
    let node: xmlNodePtr

    /// The local name (without namespace prefix).
    var name: String { String(cString: node.pointee.name) }

    /// Child elements, optionally only those with local name `name`.
    func children(_ name: String? = nil) -> [XMLElement] {
        var result: [XMLElement] = []
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE {
                let element = XMLElement(tree: tree, node: current)
                if name == nil || element.name == name { result.append(element) }
            }
            child = current.pointee.next
        }
        return result
    }

    /// The first child element called `name`.
    func child(_ name: String) -> XMLElement? { children(name).first }

    /// The attribute `name` (no namespace), or a namespaced attribute whose local name is `name`.
    func attribute(_ name: String) -> String? {
        var attribute = node.pointee.properties
        while let current = attribute {
            if String(cString: current.pointee.name) == name, let value = xmlNodeGetContent(UnsafeMutablePointer(OpaquePointer(current))) {
                defer { chuqing_xmlFree(value) }
                return String(cString: value)
            }
            attribute = current.pointee.next
        }
        return nil
    }

    /// All text inside the element.
    var text: String {
        guard let content = xmlNodeGetContent(node) else { return "" }
        defer { chuqing_xmlFree(content) }
        return String(cString: content)
    }

    /// Every descendant element called `name`, in document order.
    func descendants(_ name: String) -> [XMLElement] {
        var result: [XMLElement] = []
        for child in children() {
            if child.name == name { result.append(child) }
            result += child.descendants(name)
        }
        return result
    }
}
