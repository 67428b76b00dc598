// SPDX-License-Identifier: Apache-2.0
//
// Driving a Verilated input port of N bits from one bool per bit position and reading an output
// port back the same way, for the unit tests of the vector blocks (dejfa_first_set, dejfa_ones,
// dejfa_first_k).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

namespace dejfa::test {

/// Sets port bit i to bits[i] for i < bits.size(). The port type is Verilator's: an integer up to
/// 64 bits, a VlWide (32-bit words) above; if constexpr discards a branch only inside a template.
template <class V>
void put_bits(V& port, const std::vector<bool>& bits) {
  const std::size_t n = bits.size();
  if constexpr (std::is_integral_v<V>) {
    V x = 0;
    for (std::size_t i = 0; i < n; ++i)
      if (bits[i]) x = static_cast<V>(x | (static_cast<V>(1) << i));
    port = x;
  } else {
    for (std::size_t w = 0; w < (n + 31) / 32; ++w) {
      std::uint32_t x = 0;
      for (std::size_t i = 0; i < 32 && 32 * w + i < n; ++i)
        if (bits[32 * w + i]) x |= 1U << i;
      port[w] = x;
    }
  }
}

/// Port bits 0 .. n-1 as one bool per position (the port type as for put_bits).
template <class V>
std::vector<bool> get_bits(const V& port, std::size_t n) {
  std::vector<bool> bits(n);
  if constexpr (std::is_integral_v<V>) {
    for (std::size_t i = 0; i < n; ++i) bits[i] = ((port >> i) & 1U) != 0;
  } else {
    for (std::size_t i = 0; i < n; ++i) bits[i] = ((port[i / 32] >> (i % 32)) & 1U) != 0;
  }
  return bits;
}

/// "set bits: 3 17 ..." for a failure message.
inline std::string describe_bits(const std::vector<bool>& bits) {
  std::string s = "set bits:";
  for (std::size_t i = 0; i < bits.size(); ++i)
    if (bits[i]) s += " " + std::to_string(i);
  return s;
}

}  // namespace dejfa::test
