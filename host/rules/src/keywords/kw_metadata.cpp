// SPDX-License-Identifier: Apache-2.0
// metadata: free-form key/value pairs (kept, not matched).
#include "keyword.hpp"

namespace dejfa::kw {
namespace {
bool apply(Ctx& c) {
  c.rule.metadata.emplace_back(c.value);
  return true;
}
}  // namespace
extern const KeywordDef kMetadata{"metadata", KeywordDef::Value::Required, apply,
                                  "key/value metadata (kept)"};
}  // namespace dejfa::kw
