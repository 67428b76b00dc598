// SPDX-License-Identifier: Apache-2.0
// content: a byte pattern in the packet payload. Syntax as Suricata: optional `!`, a quoted
// string in which |hex bytes| switch to hex and \" \; \\ \: \, \# escape those characters.
#include <cctype>

#include "keyword.hpp"

namespace dejfa::kw {
namespace {

constexpr std::size_t kMaxContent = 255;

int hexval(char ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  return -1;
}

bool apply(Ctx& c) {
  std::string_view v = c.value;
  Content ct;
  if (!v.empty() && v.front() == '!') {
    ct.negated = true;
    v.remove_prefix(1);
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  }
  if (v.empty() || v.front() != '"') return c.fail("content: the pattern must be in double quotes");
  bool hex = false;
  int hi = -1;
  std::size_t i = 1;
  bool closed = false;
  for (; i < v.size(); ++i) {
    const char ch = v[i];
    if (hex) {
      if (ch == '|') {
        if (hi >= 0) return c.fail("content: odd number of hex digits");
        hex = false;
      } else if (ch == ' ' || ch == '\t') {
        if (hi >= 0) return c.fail("content: a hex byte needs two digits");
      } else if (hexval(ch) >= 0) {
        if (hi < 0) {
          hi = hexval(ch);
        } else {
          ct.bytes.push_back(static_cast<std::uint8_t>(hi * 16 + hexval(ch)));
          hi = -1;
        }
      } else {
        return c.fail(std::string("content: '") + ch + "' is not a hex digit inside |...|");
      }
      continue;
    }
    if (ch == '|') {
      hex = true;
    } else if (ch == '\\') {
      if (i + 1 >= v.size()) return c.fail("content: pattern ends in a backslash");
      const char e = v[++i];
      if (e != '"' && e != ';' && e != '\\' && e != ':' && e != ',' && e != '#') {
        return c.fail(std::string("content: '\\") + e + "' is not an escape (use |hex|)");
      }
      ct.bytes.push_back(static_cast<std::uint8_t>(e));
    } else if (ch == '"') {
      closed = true;
      break;
    } else {
      ct.bytes.push_back(static_cast<std::uint8_t>(ch));
    }
  }
  if (hex) return c.fail("content: unterminated |hex| section");
  if (!closed) return c.fail("content: missing closing quote");
  if (i + 1 != v.size()) {
    return c.fail("content: unexpected text after the pattern: '" + std::string(v.substr(i + 1)) +
                  "' (Snort 3 content options are not Suricata syntax)");
  }
  if (ct.bytes.empty()) return c.fail("content: empty pattern");
  if (ct.bytes.size() > kMaxContent) {
    return c.fail("content: pattern of " + std::to_string(ct.bytes.size()) +
                  " bytes is longer than " + std::to_string(kMaxContent));
  }
  c.rule.contents.push_back(std::move(ct));
  return true;
}

}  // namespace
extern const KeywordDef kContent{"content", KeywordDef::Value::Required, apply,
                                 "payload pattern: \"text|hex|\", ! negates"};
}  // namespace dejfa::kw
