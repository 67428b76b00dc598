// SPDX-License-Identifier: Apache-2.0
// rev: signature revision.
#include "keyword.hpp"

namespace dejfa::kw {
namespace {
bool apply(Ctx& c) {
  const auto v = parse_u32(c.value);
  if (!v) {
    return c.fail("rev: '" + std::string(c.value) + "' is not a valid value (signature revision)");
  }
  c.rule.rev = *v;
  return true;
}
}  // namespace
extern const KeywordDef kRev{"rev", KeywordDef::Value::Required, apply, "signature revision"};
}  // namespace dejfa::kw
