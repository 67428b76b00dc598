// SPDX-License-Identifier: Apache-2.0
// priority: alert priority 1..255 (kept).
#include "keyword.hpp"

namespace dejfa::kw {
namespace {
bool apply(Ctx& c) {
  const auto v = parse_u32(c.value);
  if (!v || *v < 1 || *v > 255) {
    return c.fail("priority: '" + std::string(c.value) +
                  "' is not a valid value (alert priority 1..255 (kept))");
  }
  c.rule.priority = *v;
  return true;
}
}  // namespace
extern const KeywordDef kPriority{"priority", KeywordDef::Value::Required, apply,
                                  "alert priority 1..255 (kept)"};
}  // namespace dejfa::kw
