// SPDX-License-Identifier: Apache-2.0
// fast_pattern: names the content the prefilter anchors the rule on (docs/ARCHITECTURE.md
// section 7: the compiler takes the rarest window of up to 8 bytes of that content, instead of
// any positive content's). A hint: dejfa finds every literal exactly, so no verdict changes with
// it. Forms, as Suricata's (detect-fast-pattern.c): `fast_pattern`, `fast_pattern:only` (no
// different for dejfa) and `fast_pattern:offset,length` (the anchor from those bytes only). As
// in Suricata, once per rule, and `only` or a chop not on a negated content.
#include "dejfa/strutil.hpp"
#include "keyword.hpp"

namespace dejfa::kw {
namespace {
bool apply(Ctx& c) {
  Content* ct = c.last_content("fast_pattern");
  if (ct == nullptr) return false;
  for (const auto& other : c.rule.contents) {
    if (other.fast_pattern) return c.fail("fast_pattern can be set on only one content of a rule");
  }
  if (c.has_value && c.value == "only") {
    if (ct->negated) return c.fail("fast_pattern:only cannot be used on a negated content");
    ct->fast_pattern_only = true;
  } else if (c.has_value) {
    const auto comma = c.value.find(',');
    const auto off = parse_u32(trim(c.value.substr(0, comma)));
    const auto len =
        comma == std::string_view::npos ? std::nullopt : parse_u32(trim(c.value.substr(comma + 1)));
    if (!off || !len) {
      return c.fail("fast_pattern takes no value, 'only' or 'offset,length', not '" +
                    std::string(c.value) + "'");
    }
    if (ct->negated)
      return c.fail("fast_pattern:offset,length cannot be used on a negated content");
    if (*len == 0 || *off + std::uint64_t{*len} > ct->bytes.size()) {
      return c.fail("fast_pattern:" + std::to_string(*off) + "," + std::to_string(*len) +
                    " is not within the content's " + std::to_string(ct->bytes.size()) + " bytes");
    }
    ct->fast_pattern_chop =
        std::make_pair(static_cast<std::uint16_t>(*off), static_cast<std::uint16_t>(*len));
  }
  ct->fast_pattern = true;
  return true;
}
}  // namespace
extern const KeywordDef kFastPattern{
    "fast_pattern", KeywordDef::Value::Optional, apply,
    "the content to anchor the prefilter on (only; offset,length); no effect on verdicts"};
}  // namespace dejfa::kw
