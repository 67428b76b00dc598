// SPDX-License-Identifier: Apache-2.0
// reference: external references such as url,... or cve,... (kept, not matched).
#include "keyword.hpp"

namespace dejfa::kw {
namespace {
bool apply(Ctx& c) {
  c.rule.references.emplace_back(c.value);
  return true;
}
}  // namespace
extern const KeywordDef kReference{"reference", KeywordDef::Value::Required, apply,
                                   "external reference (kept)"};
}  // namespace dejfa::kw
