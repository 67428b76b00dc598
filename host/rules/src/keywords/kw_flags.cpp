// SPDX-License-Identifier: Apache-2.0
// flags: TCP flags. [+*!]FSRPAUCE (or 1, 2 for ECE, CWR; 0 for none), then ",mask" of flags
// to ignore. + = at least these, * = any of these, ! = not all of these, none = exactly these.
#include "keyword.hpp"

namespace dejfa::kw {
namespace {

int bit(char ch) {
  switch (ch) {
    case 'F':
    case 'f':
      return 0x01;
    case 'S':
    case 's':
      return 0x02;
    case 'R':
    case 'r':
      return 0x04;
    case 'P':
    case 'p':
      return 0x08;
    case 'A':
    case 'a':
      return 0x10;
    case 'U':
    case 'u':
      return 0x20;
    case 'E':
    case 'e':
    case '1':
      return 0x40;
    case 'C':
    case 'c':
    case '2':
      return 0x80;
    default:
      return -1;
  }
}

bool apply(Ctx& c) {
  if (c.rule.flags) return c.fail("flags: given twice");
  FlagsMatch f;
  std::string_view v = c.value;
  const auto comma = v.find(',');
  std::string_view main = v.substr(0, comma);
  bool have_mod = false;
  bool zero = false;
  for (char ch : main) {
    if (ch == ' ' || ch == '\t') continue;
    if (ch == '+' || ch == '*' || ch == '!') {
      if (have_mod) return c.fail("flags: more than one modifier");
      have_mod = true;
      f.mod = ch == '+' ? FlagsMatch::Mod::Plus
                        : (ch == '*' ? FlagsMatch::Mod::Any : FlagsMatch::Mod::Not);
    } else if (ch == '0') {
      zero = true;
    } else if (bit(ch) >= 0) {
      f.flags = static_cast<std::uint8_t>(f.flags | bit(ch));
    } else {
      return c.fail(std::string("flags: unknown flag '") + ch + "'");
    }
  }
  if (zero && f.flags != 0) return c.fail("flags: 0 (no flags) can't be combined with flags");
  if (!zero && f.flags == 0) return c.fail("flags: no flags given");
  if (comma != std::string_view::npos) {
    for (char ch : v.substr(comma + 1)) {
      if (ch == ' ' || ch == '\t') continue;
      if (bit(ch) < 0) return c.fail(std::string("flags: unknown mask flag '") + ch + "'");
      f.ignore = static_cast<std::uint8_t>(f.ignore | bit(ch));
    }
  }
  c.rule.flags = f;
  return true;
}

}  // namespace
extern const KeywordDef kFlags{"flags", KeywordDef::Value::Required, apply,
                               "TCP flags with modifiers +*! and an ignore mask"};
}  // namespace dejfa::kw
