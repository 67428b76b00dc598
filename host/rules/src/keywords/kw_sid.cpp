// SPDX-License-Identifier: Apache-2.0
// sid: signature id (required, > 0).
#include "keyword.hpp"

namespace dejfa::kw {
namespace {
bool apply(Ctx& c) {
  const auto v = parse_u32(c.value);
  if (!v || *v < 1) {
    return c.fail("sid: '" + std::string(c.value) +
                  "' is not a valid value (signature id (required, > 0))");
  }
  c.rule.sid = *v;
  return true;
}
}  // namespace
extern const KeywordDef kSid{"sid", KeywordDef::Value::Required, apply,
                             "signature id (required, > 0)"};
}  // namespace dejfa::kw
