// SPDX-License-Identifier: Apache-2.0
//
// Random rule sets and traffic for differential tests. Rules are generated as text (so the
// parser is exercised too) from small pools of addresses, ports and literals, and packets are
// built from the same pools, so that rules hit, nearly hit and miss.
//
// A seed gives the same draws with every compiler: a statement draws at most once where C++
// leaves the order open (the operands of `+` on strings, function arguments), and where a
// statement used to draw twice the draws now run in the order GCC evaluated them (right to
// left), so GCC builds draw what they drew before (session 25). host.randgen checks a hash of
// 40 seeds' output in the GCC and the Clang build.
#pragma once

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "dejfa/pktbuild.hpp"
#include "dejfa/rules.hpp"

namespace dejfa::testgen {

class Gen {
 public:
  explicit Gen(std::uint64_t seed) : rng_(seed) {}

  std::uint32_t u(std::uint32_t n) {
    return std::uniform_int_distribution<std::uint32_t>(0, n - 1)(rng_);
  }
  bool p(double x) { return std::bernoulli_distribution(x)(rng_); }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[u(static_cast<std::uint32_t>(v.size()))];
  }

  std::string addr() {
    static const std::vector<std::string> kP = {
        "10.0.0.0/8", "10.1.0.0/16",   "10.1.2.0/24",     "192.168.1.0/24", "1.2.3.4",
        "8.8.8.0/24", "2001:db8::/32", "2001:db8:1::/48", "fe80::1",        "0.0.0.0/1"};
    switch (u(9)) {
      case 0:
      case 1:
      case 2:
        return "any";
      case 3:
        return pick(kP);
      case 4:
        return "$HOME_NET";
      case 5:
        return "$EXTERNAL_NET";
      case 6: {
        const std::string& b = pick(kP);
        const std::string& a = pick(kP);
        return "[" + a + ",!" + b + "]";
      }
      case 7: {
        const std::string& b = pick(kP);
        const std::string& a = pick(kP);
        return "![" + a + "," + b + "]";
      }
      default: {
        const std::string& c = pick(kP);
        const std::string& b = pick(kP);
        const std::string& a = pick(kP);
        return "[" + a + ",[" + b + ",!" + c + "]]";
      }
    }
  }
  std::string ports() {
    static const std::vector<std::string> kP = {
        "22",   "53",    "80",    "443",      "1000:2000",
        "8080", ":1023", "1024:", "[80,443]", "[1000:2000,!1500]"};
    switch (u(6)) {
      case 0:
      case 1:
      case 2:
        return "any";
      case 3:
        return "!" + pick(kP);
      default:
        return pick(kP);
    }
  }
  /// Literals for rules and payloads: a fixed small pool by default (many hits per frame), or
  /// the pool given here (differential fuzzing: rule sets of any size, a few hits per frame).
  /// With `follow`, payloads often place one of the pool's short literals (at most 8 bytes)
  /// after a longer one, past the random gap (for relative_rule()).
  void set_pool(std::vector<std::string> pool, bool follow = false) {
    pool_ = std::move(pool);
    follow_ = follow;
    short_.clear();
    long_.clear();
    for (const auto& l : pool_) (l.size() <= 8 ? short_ : long_).push_back(l);
  }
  [[nodiscard]] const std::vector<std::string>& pool() const { return pool_; }

  /// A random literal: printable (mixed case), binary or mixed, of 1..`most` bytes.
  std::string random_literal(std::uint32_t most) {
    return random_bytes(1 + u(p(0.8) ? std::min<std::uint32_t>(most, 8) : most));
  }
  /// `n` random bytes: printable (mixed case), binary or mixed.
  std::string random_bytes(std::uint32_t n) {
    std::string s;
    const std::uint32_t kind = u(3);
    for (std::uint32_t i = 0; i < n; ++i) {
      if (kind == 0 || (kind == 2 && p(0.7))) {
        s += static_cast<char>("abcdefghXYZ./ 0123=GET"[u(22)]);
      } else {
        s += static_cast<char>(u(256));
      }
    }
    return s;
  }

  /// A pool for contents of several pieces (the compiler cuts a content into pieces of `piece`
  /// bytes; the engine finds the first and verifies the others). `families` groups of 2..4
  /// literals of piece + 1 .. 3 * piece + 8 bytes that share their first piece and differ after
  /// it, so that each is a near miss of the others found by the first piece and failed by a
  /// later one, and twice as many short literals, which rules place after the long ones with
  /// distance and within (a match's end, where they are searched from, depends on the pieces).
  std::vector<std::string> long_pool(std::uint32_t piece, std::uint32_t families) {
    std::vector<std::string> v;
    for (std::uint32_t f = 0; f < families; ++f) {
      const std::string base = random_bytes(piece + 1 + u(2 * piece + 8));
      for (std::uint32_t m = 2 + u(3); m > 0; --m) {
        std::string s = base;
        if (m > 1) {  // the first member is the base itself
          const auto tail = static_cast<std::uint32_t>(s.size()) - piece;
          s[piece + u(tail)] ^= static_cast<char>(1 + u(255));
          if (p(0.3)) s.resize(piece + 1 + u(tail));
        }
        v.push_back(std::move(s));
      }
    }
    for (std::uint32_t i = 0; i < 2 * families; ++i) v.push_back(random_bytes(1 + u(6)));
    return v;
  }

  /// `lit` in rule syntax: printable bytes as they are, the rest as |hex|.
  static std::string rule_text(const std::string& lit) {
    static const char* kHex = "0123456789abcdef";
    std::string r;
    for (const char ch : lit) {
      const auto c = static_cast<unsigned char>(ch);
      if (c >= 0x20 && c < 0x7F && c != '"' && c != ';' && c != '\\' && c != '|' && c != ':') {
        r += static_cast<char>(c);
      } else {
        r += '|';
        r += kHex[c >> 4];
        r += kHex[c & 15];
        r += '|';
      }
    }
    return r;
  }

  std::string literal() {
    if (!pool_.empty()) return rule_text(pick(pool_));
    static const std::vector<std::string> kL = {"ab",      "abc",        "GET ",    "xyz",
                                                "|00 01|", "aaaa",       "a",       "Xyz",
                                                "cmd.exe", "|ff|ab|00|", "HTTP/1.", "zz"};
    return pick(kL);
  }
  std::string uint_match(std::uint32_t max) {
    const std::uint32_t a = u(max);
    switch (u(7)) {
      case 0:
        return std::to_string(a);
      case 1:
        return "!" + std::to_string(a);
      case 2:
        return "<" + std::to_string(a);
      case 3:
        return ">" + std::to_string(a);
      case 4:
        return "<=" + std::to_string(a);
      case 5:
        return ">=" + std::to_string(a);
      default:
        return std::to_string(a) + "<>" + std::to_string(a + 2 + u(20));
    }
  }

  /// A rule header after the action: `proto` and random addresses and ports.
  std::string header(const std::string& proto) {
    const bool ported = proto == "tcp" || proto == "udp" || (proto == "ip" && p(0.2));
    const std::string dst_ports = ported ? ports() : "any";
    const std::string dst = addr();
    const char* dir = p(0.2) ? " <> " : " -> ";
    const std::string src_ports = ported ? ports() : "any";
    const std::string src = addr();
    return proto + " " + src + " " + src_ports + dir + dst + " " + dst_ports;
  }

  /// One rule in Suricata syntax (it may be invalid, e.g. depth shorter than its content).
  std::string rule(std::uint32_t sid) {
    static const std::vector<std::string> kAct = {"alert", "alert",  "alert", "alert",
                                                  "drop",  "reject", "pass"};
    static const std::vector<std::string> kProto = {"ip",   "tcp",    "tcp",  "udp",
                                                    "icmp", "icmpv6", "ipv4", "ipv6"};
    const std::string proto = pick(kProto);
    const std::string hdr = header(proto);
    const std::string act = p(0.05) ? std::string("pass") : pick(kAct);
    std::string r = act + " " + hdr + " (msg:\"r" + std::to_string(sid) + "\"; ";
    const std::uint32_t ncontents = p(0.3) ? 0 : 1 + u(3);
    for (std::uint32_t i = 0; i < ncontents; ++i) {
      const std::string lit = literal();
      const char* neg = p(0.15) ? "!" : "";
      r += std::string("content:") + neg + "\"" + lit + "\"; ";
      if (p(0.3)) r += "nocase; ";
      if (!pool_.empty() && p(0.08)) r += "fast_pattern; ";
      if (i > 0 && p(0.5)) {
        if (p(0.7)) r += "distance:" + std::to_string(static_cast<int>(u(8)) - 3) + "; ";
        if (p(0.6)) r += "within:" + std::to_string(4 + u(12)) + "; ";
      } else if (p(0.4)) {
        if (p(0.5)) r += "offset:" + std::to_string(u(6)) + "; ";
        if (p(0.5)) r += "depth:" + std::to_string(4 + u(20)) + "; ";
      }
    }
    if (p(0.15)) r += "dsize:" + uint_match(60) + "; ";
    if (p(0.1)) r += "ttl:" + uint_match(70) + "; ";
    if (p(0.1) && proto != "udp") {
      static const std::vector<std::string> kF = {"S", "SA", "!S", "+A", "*FR", "0", "A,12", "!SA"};
      r += "flags:" + pick(kF) + "; ";
    }
    if (p(0.08)) r += "itype:" + uint_match(12) + "; ";
    if (p(0.05)) r += "icode:" + uint_match(3) + "; ";
    if (p(0.05)) {
      const std::string proto_n = pick(std::vector<std::string>{"6", "17", "1", "47"});
      const char* neg = p(0.5) ? "!" : "";
      r += "ip_proto:" + std::string(neg) + proto_n + "; ";
    }
    r += "sid:" + std::to_string(sid) + ";)";
    return r;
  }

  /// A rule whose first content is a literal of the pool longer than 8 bytes (or any, when
  /// none is), followed by a short one (possibly negated) at a small distance and within after
  /// its end, and sometimes a third relative one.
  std::string relative_rule(std::uint32_t sid) {
    const std::string& a = pick(long_.empty() ? pool_ : long_);
    const char* nocase = p(0.3) ? "nocase; " : "";
    const std::string hdr = header(p(0.5) ? "tcp" : "ip");
    std::string r = "alert " + hdr + " (msg:\"r" + std::to_string(sid) + "\"; content:\"" +
                    rule_text(a) + "\"; " + nocase;
    for (std::uint32_t i = 1 + u(2); i > 0; --i) {
      const std::string& b = pick(short_.empty() ? pool_ : short_);
      r += std::string("content:") + (p(0.15) ? "!" : "") + "\"" + rule_text(b) + "\"; ";
      if (p(0.3)) r += "nocase; ";
      if (p(0.8)) r += "distance:" + std::to_string(static_cast<int>(u(8)) - 3) + "; ";
      if (p(0.6)) r += "within:" + std::to_string(b.size() + u(12)) + "; ";
    }
    return r + "sid:" + std::to_string(sid) + ";)";
  }

  /// Up to `n` rules that parse (invalid generated ones are dropped).
  RuleSet rules(std::uint32_t n, const ParseOptions& po = {}, double relative = 0) {
    std::string text;
    for (std::uint32_t i = 1; i <= n * 2; ++i)
      text += (relative > 0 && p(relative) ? relative_rule(i) : rule(i)) + "\n";
    LoadResult lr;
    parse_rules(text, "gen.rules", po, lr);
    if (lr.set.rules.size() > n) lr.set.rules.resize(n);
    return std::move(lr.set);
  }

  IpAddr ip(bool v6) {
    if (!v6) {
      static const std::vector<std::uint32_t> kBase = {0x0A000000, 0x0A010000, 0x0A010200,
                                                       0xC0A80100, 0x01020304, 0x08080800,
                                                       0x7F000001, 0xAC100000};
      const std::uint32_t base = pick(kBase);
      const std::uint32_t low = p(0.5) ? 0U : u(256);
      return IpAddr::v4(base | low);
    }
    static const std::vector<std::string> kBase = {"2001:db8::1", "2001:db8:1::5", "fe80::1",
                                                   "2001:db9::1", "::1"};
    auto a = *parse_ip(pick(kBase));
    if (p(0.3)) a.b[15] = static_cast<std::uint8_t>(u(256));
    return a;
  }

  /// A payload built from the pool: hits, near hits (a prefix, one byte changed, the case
  /// flipped) and filler, with literals landing at every beat alignment.
  std::vector<std::uint8_t> pool_payload() {
    std::vector<std::uint8_t> v(u(p(0.5) ? 8 : 72), 'q');
    const std::uint32_t parts = u(p(0.1) ? 24 : 6);
    for (std::uint32_t i = 0; i < parts; ++i) {
      std::string c = pick(pool_);
      switch (u(6)) {
        case 0:
          c.resize(u(static_cast<std::uint32_t>(c.size())) + 1);  // prefix
          break;
        case 1:
          c[u(static_cast<std::uint32_t>(c.size()))] ^= static_cast<char>(1 + u(255));
          break;
        case 2:
          for (auto& ch : c) {
            if (std::isalpha(static_cast<unsigned char>(ch)) != 0 && p(0.5))
              ch = static_cast<char>(ch ^ 0x20);
          }
          break;
        default:
          break;  // exact
      }
      v.insert(v.end(), c.begin(), c.end());
      const std::uint32_t gap = p(0.5) ? 0 : u(12);
      for (std::uint32_t j = 0; j < gap; ++j) v.push_back(static_cast<std::uint8_t>(u(256)));
      if (follow_ && !short_.empty() && c.size() > 8 && p(0.3)) {
        const std::string& t = pick(short_);
        v.insert(v.end(), t.begin(), t.end());
      }
    }
    if (p(0.03)) {
      const auto fill = static_cast<std::uint8_t>(u(256));
      const std::uint32_t more = u(1400);
      v.resize(v.size() + more, fill);
    }
    return v;
  }

  std::vector<std::uint8_t> payload() {
    if (!pool_.empty()) return pool_payload();
    std::vector<std::uint8_t> v;
    const std::uint32_t parts = u(6);
    static const std::vector<std::string> kChunks = {"ab",
                                                     "abc",
                                                     "GET /",
                                                     "xyz",
                                                     "XYZ",
                                                     std::string("\x00\x01", 2),
                                                     "aaaaa",
                                                     "cmd.exe",
                                                     "HTTP/1.1",
                                                     "zz",
                                                     "\xff"
                                                     "ab",
                                                     " "};
    for (std::uint32_t i = 0; i < parts; ++i) {
      if (p(0.6)) {
        const auto& c = pick(kChunks);
        v.insert(v.end(), c.begin(), c.end());
      } else {
        const std::uint32_t k = u(8);
        for (std::uint32_t j = 0; j < k; ++j)
          v.push_back(static_cast<std::uint8_t>("abxz.\x00 A"[u(8)]));
      }
    }
    if (p(0.05)) v.resize(v.size() + u(300), 'a');
    return v;
  }

  /// A frame: mostly valid, sometimes fragmented, VLAN-tagged, truncated or otherwise malformed.
  std::vector<std::uint8_t> frame() {
    FrameSpec s;
    s.v6 = p(0.3);
    s.src = ip(s.v6);
    s.dst = ip(s.v6);
    static const std::vector<std::uint8_t> kProto4 = {6, 6, 6, 17, 17, 1, 47, 58};
    static const std::vector<std::uint8_t> kProto6 = {6, 6, 17, 58, 58, 1, 47};
    s.proto = s.v6 ? pick(kProto6) : pick(kProto4);
    static const std::vector<std::uint16_t> kPorts = {22,   53,   80,   443,  1500, 1999,
                                                      2000, 8080, 1023, 1024, 5};
    s.sport = p(0.7) ? pick(kPorts) : static_cast<std::uint16_t>(u(65536));
    s.dport = p(0.7) ? pick(kPorts) : static_cast<std::uint16_t>(u(65536));
    s.tcp_flags = static_cast<std::uint8_t>(
        p(0.5) ? pick(std::vector<std::uint32_t>{2, 0x12, 0x10, 0x18, 0x11, 4, 0xC2}) : u(256));
    s.ttl = static_cast<std::uint8_t>(p(0.5) ? u(70) : u(256));
    s.icmp_type = static_cast<std::uint8_t>(u(14));
    s.icmp_code = static_cast<std::uint8_t>(u(4));
    for (std::uint32_t i = u(4); i > 1; --i) s.vlans.push_back(static_cast<std::uint16_t>(u(4096)));
    if (p(0.05)) {
      if (s.v6) {
        s.ip6_ext.emplace_back(44, 8);
      } else {
        s.more_fragments = p(0.5);
      }
      s.frag_offset = p(0.5) ? static_cast<std::uint16_t>(1 + u(100)) : 0;
      if (!s.v6 && s.frag_offset == 0) s.more_fragments = true;
    }
    if (s.v6 && p(0.1))
      s.ip6_ext.insert(s.ip6_ext.begin(), {0, static_cast<std::uint16_t>(8 * (1 + u(8)))});
    if (!pool_.empty() && s.v6 && p(0.05)) {  // a chain: hop-by-hop, routing, destination options
      for (const std::uint8_t t : {std::uint8_t{0}, std::uint8_t{43}, std::uint8_t{60}})
        if (p(0.7)) s.ip6_ext.emplace_back(t, static_cast<std::uint16_t>(8 * (1 + u(4))));
    }
    if (!pool_.empty() && p(0.03)) s.vlans.assign(3 + u(2), 7);  // over-tagged
    if (!s.v6 && p(0.1)) s.ip4_options.assign(4 * (1 + u(10)), 1);
    s.payload = payload();
    auto f = build_frame(s);
    if (p(0.03)) f.resize(u(static_cast<std::uint32_t>(f.size())) + 1);  // truncated
    if (p(0.02) && f.size() > 20)
      f[14 + 4 * s.vlans.size()] ^= static_cast<std::uint8_t>(1 + u(255));
    return f;
  }

  /// Firewall rule sets (issue #24), as rule text with sids from `sid0`.
  /// firewall_own: the worst case for classification by comparators or bit vectors, every rule
  /// its own /32 or /128 and its own port (`drop tcp any any -> ADDR PORT`).
  std::string firewall_own(std::uint32_t n, std::uint32_t sid0 = 100000) {
    std::string s;
    for (std::uint32_t i = 0; i < n; ++i) {
      const std::string a = (i % 2) != 0U ? v6_host() : v4_text(0x0A000000U | u(1U << 24));
      s += "drop " + std::string((i % 3) != 0U ? "tcp" : "udp") + " any any -> " + a + " " +
           std::to_string(1 + u(65535)) + " (sid:" + std::to_string(sid0 + i) + ";)\n";
    }
    return s;
  }
  /// firewall_shape: v4/v6 prefixes of every length, lists with negation, single ports, ranges
  /// and lists, all-but-one ports, both directions, selective on source, destination or port,
  /// some flags/ttl/itype conditions; alert or drop, no contents.
  std::string firewall_shape(std::uint32_t n, std::uint32_t sid0 = 200000) {
    auto pfx4 = [&]() {
      const std::uint32_t len = 8 + u(25);
      return v4_text(static_cast<std::uint32_t>(rng_()) & (~0U << (32 - len))) + "/" +
             std::to_string(len);
    };
    auto pfx6 = [&]() {
      const std::uint32_t len = 32 + u(97);
      return v6_host() + "/" + std::to_string(len);
    };
    auto addr = [&]() -> std::string {
      switch (u(8)) {
        case 0: {
          const std::string b = pfx4();
          const std::string a = pfx4();
          return "[" + a + "," + b + "]";
        }
        case 1: {
          const std::string b = v4_text(static_cast<std::uint32_t>(rng_()));
          const std::string a = pfx4();
          return "[" + a + ",!" + b + "]";
        }
        case 2:
          return pfx6();
        case 3: {
          const std::string b = pfx4();
          const std::string a = pfx6();
          return "[" + a + "," + b + "]";
        }
        default:
          return pfx4();
      }
    };
    auto port = [&]() -> std::string {
      switch (u(6)) {
        case 0: {
          const auto lo = 1 + u(60000);
          return std::to_string(lo) + ":" + std::to_string(lo + u(2000));
        }
        case 1: {
          const std::uint32_t b = 1 + u(65535);
          const std::uint32_t a = 1 + u(65535);
          return "[" + std::to_string(a) + "," + std::to_string(b) + "]";
        }
        default:
          return std::to_string(1 + u(65535));
      }
    };
    static const char* kProto[] = {"tcp", "tcp", "tcp", "udp", "udp", "ip", "icmp"};
    std::string s;
    for (std::uint32_t i = 0; i < n; ++i) {
      const std::string proto = kProto[u(7)];
      const bool ports = proto == "tcp" || proto == "udp";
      std::string src = "any", dst = "any", sp = "any", dp = "any";
      switch (u(4)) {
        case 0:  // inbound to a host or net: a service port, or all but one
          dst = addr();
          if (ports) dp = u(6) == 0 ? "!" + std::to_string(1 + u(65535)) : port();
          break;
        case 1:  // from a blocked source
          src = addr();
          break;
        case 2:  // between two nets
          src = addr();
          dst = addr();
          if (ports && u(2) == 0) dp = port();
          break;
        default:  // a port only (destination or source)
          if (ports) {
            (u(3) == 0 ? sp : dp) = port();
          } else {
            dst = addr();
          }
          break;
      }
      std::string extra;
      if (proto == "tcp" && u(8) == 0) extra = "flags:S,12; ";
      if (u(16) == 0) extra += "ttl:<" + std::to_string(2 + u(60)) + "; ";
      if (proto == "icmp") extra += "itype:" + std::to_string(u(20)) + "; ";
      const char* dir = u(10) == 0 ? " <> " : " -> ";
      const char* act = u(4) == 0 ? "alert " : "drop ";
      s += std::string(act) + proto + " " + src + " " + sp + dir + dst + " " + dp + " (" + extra +
           "sid:" + std::to_string(sid0 + i) + ";)\n";
    }
    return s;
  }

 private:
  static std::string v4_text(std::uint32_t x) {
    return std::to_string(x >> 24) + "." + std::to_string((x >> 16) & 255) + "." +
           std::to_string((x >> 8) & 255) + "." + std::to_string(x & 255);
  }
  std::string v6_host() {
    static const char* kHex = "0123456789abcdef";
    std::string s = "2001:db8";
    for (int i = 0; i < 6; ++i) {
      const std::uint32_t w = u(65536);
      s += ':';
      bool lead = true;
      for (int k = 12; k >= 0; k -= 4) {
        const std::uint32_t d = (w >> k) & 15U;
        if (d == 0 && lead && k != 0) continue;
        lead = false;
        s += kHex[d];
      }
    }
    return s;
  }

  std::mt19937_64 rng_;
  std::vector<std::string> pool_;
  std::vector<std::string> short_, long_;  // the pool's literals of at most / over 8 bytes
  bool follow_ = false;                    // set_pool(.., true)
};

}  // namespace dejfa::testgen
