// SPDX-License-Identifier: Apache-2.0
// rawbytes: Snort's "inspect undecoded bytes". Packet payload inspection is always raw here,
// so it is accepted without effect (Suricata ignores it too).
#include "keyword.hpp"

namespace dejfa::kw {
namespace {
bool apply(Ctx& c) { return c.last_content("rawbytes") != nullptr; }
}  // namespace
extern const KeywordDef kRawbytes{"rawbytes", KeywordDef::Value::None, apply,
                                  "no effect (payload is always raw)"};
}  // namespace dejfa::kw
