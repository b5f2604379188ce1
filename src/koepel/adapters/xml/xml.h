// koepel/adapters/xml/xml.h
//
// Text for the XML that koepel writes (Cursor on Target, CAP): one escaper, so that no value, whatever
// bytes it holds, can break the markup or make the document invalid XML 1.0. Shared by the writers the
// way adapters/net is shared by the feeds.
//
// Example:
//   out += "<headline>" + xml::EscapeXml(headline, /*attribute=*/false) + "</headline>";
//   out += " callsign=\"" + xml::EscapeXml(callsign, /*attribute=*/true) + "\"";
//
// Errors: none; text that is not well-formed UTF-8, and characters XML 1.0 forbids, become U+FFFD.
#pragma once

#include <string>
#include <string_view>

namespace koepel::adapters::xml {

// Escapes text for an XML 1.0 element (attribute = false) or a double-quoted attribute value (true):
// & < > " ' become entities; in attributes tab, LF and CR become character references (attribute-value
// normalisation would turn them into spaces); bytes that are not well-formed UTF-8 and characters XML 1.0
// forbids (C0 controls other than tab/LF/CR, U+FFFE, U+FFFF) become U+FFFD.
std::string EscapeXml(std::string_view text, bool attribute);

}  // namespace koepel::adapters::xml
