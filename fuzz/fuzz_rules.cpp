// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: rule text. Parsing must never crash or hang; small accepted rule sets must
// compile, and their image must decode back to the same bytes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "dejfa/image_codec.hpp"
#include "dejfa/image_compile.hpp"
#include "dejfa/rules.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  dejfa::LoadResult lr;
  dejfa::parse_rules(text, "fuzz.rules", {}, lr);
  for (const auto& d : lr.diags) {
    if (d.line == 0 || d.message.empty()) __builtin_trap();  // every rule error is located
  }
  if (!lr.set.rules.empty() && lr.set.rules.size() <= 8) {
    const auto res = dejfa::compile(lr.set, dejfa::hw::kConfigs[0]);
    if (res.ok) {
      const auto bytes = dejfa::encode(res.image);
      dejfa::Image back;
      std::string err;
      if (!dejfa::decode_image(bytes, &dejfa::hw::kConfigs[0], back, err)) __builtin_trap();
      if (dejfa::encode(back) != bytes) __builtin_trap();
    }
  }
  return 0;
}
