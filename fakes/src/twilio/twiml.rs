//! Just enough of an XML reader to run TwiML as Twilio does (PROTOCOLS §11.1, §11.2): elements
//! with attributes, text with the five predefined entities and numeric references, comments and
//! the XML declaration skipped. A document whose root is not `<Response>` is refused (12102),
//! and one that is not well formed (12100), as Twilio refuses them.

/// One TwiML node.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Node {
    Element(Element),
    Text(String),
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The text inside, entities decoded, trimmed.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for child in &self.children {
            match child {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) => out.push_str(&e.text()),
            }
        }
        out.trim().to_owned()
    }

    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }
}

/// Why Twilio would not run a document: its error code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TwimlError {
    /// 12100: not well formed.
    Malformed,
    /// 12102: the root is not `<Response>`.
    NotResponse,
}

impl TwimlError {
    pub fn code(self) -> u32 {
        match self {
            TwimlError::Malformed => 12100,
            TwimlError::NotResponse => 12102,
        }
    }
}

/// Parses a TwiML document and returns its `<Response>` element.
pub(crate) fn parse(doc: &str) -> Result<Element, TwimlError> {
    let mut stack: Vec<Element> = vec![Element {
        name: String::new(),
        attrs: Vec::new(),
        children: Vec::new(),
    }];
    let mut rest = doc;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            push_text(&mut stack, rest)?;
            break;
        };
        push_text(&mut stack, &rest[..lt])?;
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<?") {
            rest = after.split_once("?>").ok_or(TwimlError::Malformed)?.1;
        } else if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.split_once("-->").ok_or(TwimlError::Malformed)?.1;
        } else if let Some(after) = rest.strip_prefix("</") {
            let (name, tail) = after.split_once('>').ok_or(TwimlError::Malformed)?;
            let done = stack.pop().ok_or(TwimlError::Malformed)?;
            if done.name != name.trim() || stack.is_empty() {
                return Err(TwimlError::Malformed);
            }
            if let Some(parent) = stack.last_mut() {
                parent.children.push(Node::Element(done));
            }
            rest = tail;
        } else {
            let (tag, tail) = rest[1..].split_once('>').ok_or(TwimlError::Malformed)?;
            let (tag, empty) = match tag.strip_suffix('/') {
                Some(t) => (t, true),
                None => (tag, false),
            };
            let element = open_tag(tag)?;
            if empty {
                if let Some(parent) = stack.last_mut() {
                    parent.children.push(Node::Element(element));
                }
            } else {
                stack.push(element);
            }
            rest = tail;
        }
    }
    if stack.len() != 1 {
        return Err(TwimlError::Malformed);
    }
    let root = stack.pop().ok_or(TwimlError::Malformed)?;
    let mut elements: Vec<Element> = root.elements().cloned().collect();
    match elements.len() {
        1 => {
            let response = elements.remove(0);
            if response.name == "Response" {
                Ok(response)
            } else {
                Err(TwimlError::NotResponse)
            }
        }
        _ => Err(TwimlError::Malformed),
    }
}

fn push_text(stack: &mut [Element], text: &str) -> Result<(), TwimlError> {
    if text.is_empty() {
        return Ok(());
    }
    let decoded = unescape(text)?;
    match stack.last_mut() {
        // Text outside the root may only be whitespace.
        Some(top) if top.name.is_empty() && !decoded.trim().is_empty() => Err(TwimlError::Malformed),
        Some(top) => {
            top.children.push(Node::Text(decoded));
            Ok(())
        }
        None => Err(TwimlError::Malformed),
    }
}

/// `Name attr="v" other='w'` → the element, without children yet.
fn open_tag(tag: &str) -> Result<Element, TwimlError> {
    let tag = tag.trim();
    let name_end = tag.find(char::is_whitespace).unwrap_or(tag.len());
    let name = &tag[..name_end];
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == ':')
    {
        return Err(TwimlError::Malformed);
    }
    let mut attrs = Vec::new();
    let mut rest = tag[name_end..].trim_start();
    while !rest.is_empty() {
        let (key, after) = rest.split_once('=').ok_or(TwimlError::Malformed)?;
        let after = after.trim_start();
        let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'');
        let quote = quote.ok_or(TwimlError::Malformed)?;
        let (value, tail) = after[1..].split_once(quote).ok_or(TwimlError::Malformed)?;
        attrs.push((key.trim().to_owned(), unescape(value)?));
        rest = tail.trim_start();
    }
    Ok(Element {
        name: name.to_owned(),
        attrs,
        children: Vec::new(),
    })
}

fn unescape(text: &str) -> Result<String, TwimlError> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let (entity, tail) = rest[amp + 1..].split_once(';').ok_or(TwimlError::Malformed)?;
        let c = match entity {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = match entity.strip_prefix("#x") {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => entity.strip_prefix('#').and_then(|d| d.parse().ok()),
                };
                code.and_then(char::from_u32).ok_or(TwimlError::Malformed)?
            }
        };
        out.push(c);
        rest = tail;
    }
    if rest.contains('<') {
        return Err(TwimlError::Malformed);
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gather_with_its_say_is_read_with_attributes_and_entities() {
        let doc = "<?xml version=\"1.0\"?><Response><Gather numDigits=\"1\" action=\"/a?x=1&amp;y=2\">\
                   <Say language='es-MX'>Hola &lt;b&gt; &#233;</Say></Gather><Redirect>/t</Redirect><Hangup/></Response>";
        let r = parse(doc).unwrap();
        let verbs: Vec<&Element> = r.elements().collect();
        assert_eq!(verbs.len(), 3);
        assert_eq!(verbs[0].attr("action"), Some("/a?x=1&y=2"));
        let say = verbs[0].elements().next().unwrap();
        assert_eq!(say.attr("language"), Some("es-MX"));
        assert_eq!(say.text(), "Hola <b> é");
        assert_eq!(verbs[1].text(), "/t");
        assert_eq!(verbs[2].name, "Hangup");
    }

    #[test]
    fn broken_or_foreign_documents_are_refused_with_twilios_codes() {
        assert_eq!(parse("<Response><Say>x</Response>"), Err(TwimlError::Malformed));
        assert_eq!(parse("<Foo/>"), Err(TwimlError::NotResponse));
        assert_eq!(parse("hello"), Err(TwimlError::Malformed));
        assert_eq!(parse("<Response>a & b</Response>"), Err(TwimlError::Malformed));
    }
}
