// SPDX-License-Identifier: Apache-2.0
//
// Driving Verilated ports of any width and reading them back, for the RTL unit tests: one bool
// per bit position (the vector blocks dejfa_first_set, dejfa_ones, dejfa_first_k), 32-bit words
// (records wider than a word), scalars, and a field of an output. Verilator's port types are an
// integer up to 64 bits and a VlWide (32-bit words) above.
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

/// Sets a port of up to 64 bits to `v`, whatever integer type Verilator gave it.
template <class V>
void put(V& port, std::uint64_t v) {
  port = static_cast<V>(v);
}

/// Sets a port from 32-bit words, least significant first (missing words are 0).
template <class V>
void put_words(V& port, const std::vector<std::uint32_t>& w) {
  if constexpr (std::is_integral_v<V>) {
    std::uint64_t x = 0;
    for (std::size_t i = 0; i < w.size() && i < 2; ++i) x |= std::uint64_t{w[i]} << (32 * i);
    port = static_cast<V>(x);
  } else {
    for (std::size_t i = 0; i < sizeof(V) / sizeof(port[0]); ++i)
      port[i] = i < w.size() ? w[i] : 0U;
  }
}

/// Bits lsb .. lsb + width - 1 (width at most 32) of a port.
template <class V>
std::uint32_t get_field(const V& port, unsigned lsb, unsigned width) {
  std::uint32_t v = 0;
  for (unsigned i = 0; i < width; ++i) {
    const unsigned b = lsb + i;
    std::uint32_t bit = 0;
    if constexpr (std::is_integral_v<V>) {
      bit = static_cast<std::uint32_t>((static_cast<std::uint64_t>(port) >> b) & 1U);
    } else {
      bit = (port[b / 32] >> (b % 32)) & 1U;
    }
    v |= bit << i;
  }
  return v;
}

/// The width of ids below n (ceil(log2 n)), as SystemVerilog's $clog2.
constexpr unsigned clog2(std::uint32_t n) {
  unsigned w = 0;
  while ((std::uint64_t{1} << w) < n) ++w;
  return w;
}

/// "set bits: 3 17 ..." for a failure message.
inline std::string describe_bits(const std::vector<bool>& bits) {
  std::string s = "set bits:";
  for (std::size_t i = 0; i < bits.size(); ++i)
    if (bits[i]) s += " " + std::to_string(i);
  return s;
}

}  // namespace dejfa::test
