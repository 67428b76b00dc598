// SPDX-License-Identifier: Apache-2.0
#include "dejfa/pktbuild.hpp"

#include <algorithm>

namespace dejfa {

namespace {

void put16(std::vector<std::uint8_t>& v, std::size_t at, std::uint32_t x) {
  v[at] = static_cast<std::uint8_t>(x >> 8);
  v[at + 1] = static_cast<std::uint8_t>(x);
}

std::uint32_t sum16(std::span<const std::uint8_t> d, std::uint32_t acc = 0) {
  for (std::size_t i = 0; i + 1 < d.size(); i += 2) {
    acc += (std::uint32_t{d[i]} << 8) | d[i + 1];
  }
  if (d.size() % 2 != 0) acc += std::uint32_t{d.back()} << 8;
  return acc;
}

std::uint16_t fold(std::uint32_t acc) {
  while ((acc >> 16) != 0) acc = (acc & 0xFFFFU) + (acc >> 16);
  return static_cast<std::uint16_t>(~acc & 0xFFFFU);
}

}  // namespace

std::vector<std::uint8_t> build_frame(const FrameSpec& s) {
  // L4 segment first.
  std::vector<std::uint8_t> l4;
  std::size_t csum_at = 0;
  bool has_csum = true;
  if (s.proto == 6) {
    const std::size_t opt = (s.tcp_options.size() + 3) / 4 * 4;
    l4.assign(20 + opt, 0);
    put16(l4, 0, s.sport);
    put16(l4, 2, s.dport);
    put16(l4, 4, 0x1000);
    put16(l4, 8, 0x2000);
    l4[12] = static_cast<std::uint8_t>(((20 + opt) / 4) << 4);
    l4[13] = s.tcp_flags;
    put16(l4, 14, 0xFFFF);
    std::copy(s.tcp_options.begin(), s.tcp_options.end(), l4.begin() + 20);
    csum_at = 16;
  } else if (s.proto == 17) {
    l4.assign(8, 0);
    put16(l4, 0, s.sport);
    put16(l4, 2, s.dport);
    put16(l4, 4, static_cast<std::uint32_t>(8 + s.payload.size()));
    csum_at = 6;
  } else if (s.proto == 1 || s.proto == 58) {
    l4.assign(8, 0);
    l4[0] = s.icmp_type;
    l4[1] = s.icmp_code;
    csum_at = 2;
  } else {
    has_csum = false;
  }
  l4.insert(l4.end(), s.payload.begin(), s.payload.end());

  std::vector<std::uint8_t> f(12, 0);
  const std::uint8_t dmac[6] = {0x02, 0, 0, 0, 0, 0x02};
  const std::uint8_t smac[6] = {0x02, 0, 0, 0, 0, 0x01};
  std::copy(dmac, dmac + 6, f.begin());
  std::copy(smac, smac + 6, f.begin() + 6);
  for (std::uint16_t tci : s.vlans) {
    f.push_back(0x81);
    f.push_back(0x00);
    f.push_back(static_cast<std::uint8_t>(tci >> 8));
    f.push_back(static_cast<std::uint8_t>(tci));
  }
  f.push_back(s.v6 ? 0x86 : 0x08);
  f.push_back(s.v6 ? 0xDD : 0x00);
  const std::size_t l3 = f.size();

  std::uint32_t pseudo = 0;
  if (!s.v6) {
    const std::size_t opt = (s.ip4_options.size() + 3) / 4 * 4;
    const std::size_t ihl = 20 + opt;
    f.resize(l3 + ihl, 0);
    f[l3] = static_cast<std::uint8_t>(0x40 | (ihl / 4));
    put16(f, l3 + 2, static_cast<std::uint32_t>(ihl + l4.size()));
    put16(f, l3 + 4, 0x1234);
    put16(f, l3 + 6, (s.more_fragments ? 0x2000U : 0U) | (s.frag_offset & 0x1FFFU));
    f[l3 + 8] = s.ttl;
    f[l3 + 9] = s.proto;
    std::copy(s.src.b.begin() + 12, s.src.b.end(), f.begin() + static_cast<long>(l3 + 12));
    std::copy(s.dst.b.begin() + 12, s.dst.b.end(), f.begin() + static_cast<long>(l3 + 16));
    std::copy(s.ip4_options.begin(), s.ip4_options.end(), f.begin() + static_cast<long>(l3 + 20));
    put16(f, l3 + 10, fold(sum16(std::span(f).subspan(l3, ihl))));
    pseudo =
        sum16(std::span(f).subspan(l3 + 12, 8)) + s.proto + static_cast<std::uint32_t>(l4.size());
  } else {
    std::vector<std::uint8_t> ext;
    std::uint8_t first = s.proto;
    for (std::size_t i = s.ip6_ext.size(); i-- > 0;) {
      const auto [type, len] = s.ip6_ext[i];
      std::vector<std::uint8_t> h;
      if (type == 44) {
        h.assign(8, 0);
        h[0] = first;
        put16(h, 2, static_cast<std::uint32_t>(s.frag_offset << 3) | (s.more_fragments ? 1U : 0U));
      } else {
        const std::size_t total = std::max<std::size_t>(8, std::size_t{(len + 7U) / 8U} * 8U);
        h.assign(total, 0);
        h[0] = first;
        h[1] = static_cast<std::uint8_t>(total / 8 - 1);
      }
      ext.insert(ext.begin(), h.begin(), h.end());
      first = type;
    }
    f.resize(l3 + 40, 0);
    f[l3] = 0x60;
    put16(f, l3 + 4, static_cast<std::uint32_t>(ext.size() + l4.size()));
    f[l3 + 6] = first;
    f[l3 + 7] = s.ttl;
    std::copy(s.src.b.begin(), s.src.b.end(), f.begin() + static_cast<long>(l3 + 8));
    std::copy(s.dst.b.begin(), s.dst.b.end(), f.begin() + static_cast<long>(l3 + 24));
    f.insert(f.end(), ext.begin(), ext.end());
    pseudo =
        sum16(std::span(f).subspan(l3 + 8, 32)) + s.proto + static_cast<std::uint32_t>(l4.size());
  }
  if (has_csum) {
    const std::uint32_t base = (s.proto == 1) ? 0 : pseudo;  // ICMPv4 has no pseudo header
    put16(l4, csum_at, fold(sum16(l4, base)));
  }
  f.insert(f.end(), l4.begin(), l4.end());
  if (f.size() < 60) f.resize(60, 0);  // Ethernet minimum (without FCS): padding
  return f;
}

}  // namespace dejfa
