// SPDX-License-Identifier: Apache-2.0
//
// IP addresses and prefixes in one 129-bit key space: a family bit, then 128 address bits. IPv4
// a.b.c.d is {v6=0, ::a.b.c.d}; a v4 /n prefix is a key prefix of 1+96+n bits, a v6 /n one of
// 1+n bits, `any` is the empty prefix. Prefixes of this space always nest or are disjoint.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dejfa {

struct IpAddr {
  bool v6 = false;
  std::array<std::uint8_t, 16> b{};  ///< IPv4 in b[12..15], zeros before

  static IpAddr v4(std::uint32_t host_order);
  [[nodiscard]] std::string str() const;
  // clang-tidy 14 reports the comparison a defaulted operator<=> synthesizes (use nullptr,
  // implicit bool conversion): nothing in this line can hold a pointer or a bool.
  auto operator<=>(const IpAddr&) const =
      default;  // NOLINT(modernize-use-nullptr,readability-implicit-bool-conversion)
};

/// A prefix of the key space: `len` counts key bits (0..129).
struct IpPrefix {
  IpAddr addr;  ///< bits beyond the prefix are zero
  std::uint8_t len = 0;

  [[nodiscard]] bool contains(const IpAddr& a) const;
  /// true if every address of `inner` is in this prefix
  [[nodiscard]] bool covers(const IpPrefix& inner) const;
  [[nodiscard]] bool any() const { return len == 0; }
  [[nodiscard]] bool is_v6() const { return addr.v6; }
  [[nodiscard]] std::string str() const;
  // clang-tidy 14 reports the comparison a defaulted operator<=> synthesizes (use nullptr,
  // implicit bool conversion): nothing in this line can hold a pointer or a bool.
  auto operator<=>(const IpPrefix&) const =
      default;  // NOLINT(modernize-use-nullptr,readability-implicit-bool-conversion)
};

/// Parses "1.2.3.4", "1.2.3.0/24", "2001:db8::/32", "::1". Returns nullopt on bad syntax;
/// host bits set beyond the mask are cleared (as Suricata does).
std::optional<IpPrefix> parse_prefix(std::string_view s);
std::optional<IpAddr> parse_ip(std::string_view s);

}  // namespace dejfa
