// SPDX-License-Identifier: Apache-2.0
// gid: generator id (default 1).
#include "keyword.hpp"

namespace dejfa::kw {
namespace {
bool apply(Ctx& c) {
  const auto v = parse_u32(c.value);
  if (!v) {
    return c.fail("gid: '" + std::string(c.value) +
                  "' is not a valid value (generator id (default 1))");
  }
  c.rule.gid = *v;
  return true;
}
}  // namespace
extern const KeywordDef kGid{"gid", KeywordDef::Value::Required, apply, "generator id (default 1)"};
}  // namespace dejfa::kw
