// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: suricata.yaml vars files (`--vars`), read by libyaml. Reading must never
// crash or hang; every error is located (line and column) and says why; whatever variables are
// read must then be usable by the rule parser without crashing it.
#include <cstddef>
#include <cstdint>
#include <string>

#include "dejfa/rules.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  dejfa::ParseOptions o;
  dejfa::Diags d;
  const bool ok = o.vars.load_text(text, "fuzz.yaml", d);
  for (const auto& x : d) {
    if (x.message.empty()) __builtin_trap();
    if (x.severity == dejfa::Severity::Error && x.line == 0) __builtin_trap();  // located
  }
  if (!ok && d.empty()) __builtin_trap();  // a refusal says why
  dejfa::LoadResult lr;
  dejfa::parse_rules("alert tcp $HOME_NET $HTTP_PORTS -> $EXTERNAL_NET any (sid:1;)\n", "f.rules",
                     o, lr);
  return 0;
}
