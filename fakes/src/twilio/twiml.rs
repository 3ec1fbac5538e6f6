//! Reading the TwiML a webhook answers with, as Twilio does before running it: well-formed XML
//! (12100 otherwise), root `<Response>` (12102), names case-sensitive. Entities are resolved;
//! what a verb says is its text with the surrounding whitespace trimmed.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// One element: its name, its attributes (unescaped), its text and its child elements.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Node {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub text: String,
    pub children: Vec<Node>,
}

impl Node {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Why a document cannot run, as Twilio's error code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Invalid {
    /// 12100: document parse failure.
    Parse,
    /// 12102: the root element is not `<Response>`.
    Root,
}

impl Invalid {
    pub fn code(self) -> u32 {
        match self {
            Invalid::Parse => 12100,
            Invalid::Root => 12102,
        }
    }
}

fn start(e: &BytesStart<'_>) -> Result<Node, Invalid> {
    let name = String::from_utf8(e.name().as_ref().to_vec()).map_err(|_| Invalid::Parse)?;
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|_| Invalid::Parse)?;
        let key = String::from_utf8(a.key.as_ref().to_vec()).map_err(|_| Invalid::Parse)?;
        let value = a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|_| Invalid::Parse)?
            .into_owned();
        attrs.push((key, value));
    }
    Ok(Node {
        name,
        attrs,
        ..Node::default()
    })
}

/// The `<Response>` element of `xml`, with its verbs as children.
pub(crate) fn parse(xml: &str) -> Result<Node, Invalid> {
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<Node> = Vec::new();
    let mut root: Option<Node> = None;
    loop {
        let event = reader.read_event().map_err(|_| Invalid::Parse)?;
        match event {
            Event::Start(e) => stack.push(start(&e)?),
            Event::Empty(e) => {
                let node = start(&e)?;
                close(&mut stack, &mut root, node)?;
            }
            Event::End(_) => {
                let mut node = stack.pop().ok_or(Invalid::Parse)?;
                node.text = node.text.trim().to_owned();
                close(&mut stack, &mut root, node)?;
            }
            Event::Text(t) => {
                let text = t.decode().map_err(|_| Invalid::Parse)?;
                match stack.last_mut() {
                    Some(top) => top.text.push_str(&text),
                    None if text.trim().is_empty() => {}
                    None => return Err(Invalid::Parse),
                }
            }
            Event::CData(t) => {
                let text = t.decode().map_err(|_| Invalid::Parse)?;
                stack.last_mut().ok_or(Invalid::Parse)?.text.push_str(&text);
            }
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref().map_err(|_| Invalid::Parse)? {
                    Some(c) => c,
                    None => match r.decode().map_err(|_| Invalid::Parse)?.as_ref() {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        _ => return Err(Invalid::Parse),
                    },
                };
                stack.last_mut().ok_or(Invalid::Parse)?.text.push(c);
            }
            Event::Eof => break,
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if !stack.is_empty() {
        return Err(Invalid::Parse);
    }
    let root = root.ok_or(Invalid::Parse)?;
    if root.name != "Response" {
        return Err(Invalid::Root);
    }
    Ok(root)
}

fn close(stack: &mut [Node], root: &mut Option<Node>, node: Node) -> Result<(), Invalid> {
    match stack.last_mut() {
        Some(parent) => parent.children.push(node),
        None if root.is_none() => *root = Some(node),
        None => return Err(Invalid::Parse),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbs_attributes_and_escaped_text_are_read() {
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Gather numDigits=\"1\" \
                   action=\"/m?a=1&amp;b=2\"><Say language=\"es-US\">Oprima 2 &amp; &#233;</Say></Gather><Hangup/></Response>";
        let root = parse(xml).unwrap();
        assert_eq!(root.children.len(), 2);
        let gather = &root.children[0];
        assert_eq!(gather.attr("action"), Some("/m?a=1&b=2"));
        assert_eq!(gather.children[0].text, "Oprima 2 & é");
        assert_eq!(root.children[1].name, "Hangup");
    }

    #[test]
    fn broken_documents_are_refused_with_twilios_codes() {
        assert_eq!(parse("<Response><Say>x</Response>"), Err(Invalid::Parse));
        assert_eq!(parse("<response><Hangup/></response>"), Err(Invalid::Root));
        assert_eq!(parse("hello"), Err(Invalid::Parse));
    }
}
