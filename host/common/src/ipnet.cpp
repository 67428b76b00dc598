// SPDX-License-Identifier: Apache-2.0
#include "dejfa/ipnet.hpp"

#include <cstring>

#include <arpa/inet.h>

namespace dejfa {

namespace {

void clear_beyond(IpAddr& a, unsigned key_len) {
  if (key_len == 0) {
    a = IpAddr{};
    return;
  }
  for (unsigned j = key_len - 1; j < 128; ++j) {
    a.b[j / 8] = static_cast<std::uint8_t>(a.b[j / 8] & ~(1U << (7 - j % 8)));
  }
}

}  // namespace

IpAddr IpAddr::v4(std::uint32_t h) {
  IpAddr a;
  a.v6 = false;
  a.b[12] = static_cast<std::uint8_t>(h >> 24);
  a.b[13] = static_cast<std::uint8_t>(h >> 16);
  a.b[14] = static_cast<std::uint8_t>(h >> 8);
  a.b[15] = static_cast<std::uint8_t>(h);
  return a;
}

std::string IpAddr::str() const {
  char buf[INET6_ADDRSTRLEN] = {};
  if (!v6) {
    inet_ntop(AF_INET, &b[12], buf, sizeof buf);
  } else {
    inet_ntop(AF_INET6, b.data(), buf, sizeof buf);
  }
  return buf;
}

bool IpPrefix::contains(const IpAddr& a) const {
  if (len == 0) return true;
  if (a.v6 != addr.v6) return false;  // key bit 0: the family
  const unsigned bits = len - 1U;     // address bits of the prefix
  const unsigned full = bits / 8;
  if (std::memcmp(addr.b.data(), a.b.data(), full) != 0) return false;
  const unsigned rem = bits % 8;
  if (rem == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xFFU << (8 - rem));
  return (addr.b[full] & mask) == (a.b[full] & mask);
}

bool IpPrefix::covers(const IpPrefix& inner) const {
  return inner.len >= len && contains(inner.addr);
}

std::string IpPrefix::str() const {
  if (len == 0) return "any";
  const unsigned plen = addr.v6 ? len - 1U : len - 97U;
  const unsigned full = addr.v6 ? 128U : 32U;
  std::string s = addr.str();
  if (plen != full) s += "/" + std::to_string(plen);
  return s;
}

std::optional<IpAddr> parse_ip(std::string_view s) {
  if (s.empty() || s.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  char buf[INET6_ADDRSTRLEN] = {};
  std::memcpy(buf, s.data(), s.size());
  IpAddr a;
  if (s.find(':') != std::string_view::npos) {
    a.v6 = true;
    if (inet_pton(AF_INET6, buf, a.b.data()) != 1) return std::nullopt;
    return a;
  }
  // inet_pton(AF_INET) accepts only dotted quads, as Suricata requires.
  std::uint8_t v4[4];
  if (inet_pton(AF_INET, buf, v4) != 1) return std::nullopt;
  std::memcpy(&a.b[12], v4, 4);
  return a;
}

std::optional<IpPrefix> parse_prefix(std::string_view s) {
  const auto slash = s.find('/');
  const auto ip = parse_ip(s.substr(0, slash));
  if (!ip) return std::nullopt;
  const unsigned full = ip->v6 ? 128U : 32U;
  unsigned plen = full;
  if (slash != std::string_view::npos) {
    const auto m = s.substr(slash + 1);
    if (m.empty()) return std::nullopt;
    if (m.size() > 3) {
      // Dotted netmask form (1.2.3.0/255.255.255.0), IPv4 only.
      const auto mask = parse_ip(m);
      if (!mask || mask->v6 || ip->v6) return std::nullopt;
      const std::uint32_t mv = (std::uint32_t{mask->b[12]} << 24) |
                               (std::uint32_t{mask->b[13]} << 16) |
                               (std::uint32_t{mask->b[14]} << 8) | mask->b[15];
      plen = 0;
      while (plen < 32 && ((mv >> (31 - plen)) & 1U) != 0) ++plen;
      if (plen < 32 && (mv << plen) != 0) return std::nullopt;  // not contiguous
    } else {
      plen = 0;
      for (char c : m) {
        if (c < '0' || c > '9') return std::nullopt;
        plen = plen * 10 + static_cast<unsigned>(c - '0');
      }
      if (plen > full) return std::nullopt;
    }
  }
  IpPrefix p;
  p.addr = *ip;
  p.len = static_cast<std::uint8_t>(ip->v6 ? 1 + plen : 97 + plen);
  clear_beyond(p.addr, p.len);
  return p;
}

}  // namespace dejfa
