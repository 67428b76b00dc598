// SPDX-License-Identifier: Apache-2.0
//
// Benchmark: parse and compile rule sets. Prints one line per case: median and min-max of the
// wall time over N runs, on one core (the process is single-threaded).
//   bench_compile [RUNS] [RULE FILES...]
//   bench_compile --capacity [RULE FILES...]
// --capacity prints, per configuration and rule set, how many rules from the start of the set
// compile into one image, the resources they fill most and the limit the next rule would break.
// Synthetic sets of 1,000 and 10,000 rules are shaped like ET Open's in-subset rules (fixed
// seeds): $HOME_NET/$EXTERNAL_NET, common service ports, 1-3 contents of 4-24 bytes with
// depth/offset or distance/within, occasional dsize/flags/ttl from a small set of values. A
// 10,000-rule set does not fit one image (RULES_N is 1,024 at 100g), so every set is compiled as
// images of at most 1,024 rules, as a deployment spreading it over banks or cards would.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "dejfa/image_codec.hpp"
#include "dejfa/image_compile.hpp"
#include "dejfa/image_tables.hpp"
#include "dejfa/rules.hpp"

namespace {

using Clock = std::chrono::steady_clock;

struct Stat {
  double median, min, max;
};

Stat stats(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return {v[v.size() / 2], v.front(), v.back()};
}

std::string synth_rules(std::uint32_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto u = [&](std::uint32_t k) {
    return std::uniform_int_distribution<std::uint32_t>(0, k - 1)(rng);
  };
  static const char* kDir[] = {"$HOME_NET any -> $EXTERNAL_NET", "$EXTERNAL_NET any -> $HOME_NET"};
  static const char* kPorts[] = {"any", "80", "443", "$HTTP_PORTS", "[80,8080]",
                                 "53",  "25", "445", "1024:",       "any"};
  static const char* kProto[] = {"tcp", "tcp", "tcp", "udp", "ip", "icmp"};
  static const char* kExtra[] = {"",
                                 "",
                                 "",
                                 "",
                                 "dsize:>100; ",
                                 "dsize:<64; ",
                                 "flags:S,12; ",
                                 "ttl:<5; ",
                                 "dsize:0; ",
                                 "flags:PA,12; "};
  std::string text;
  for (std::uint32_t sid = 1; sid <= n; ++sid) {
    const char* proto = kProto[u(6)];
    const bool ported = std::string(proto) == "tcp" || std::string(proto) == "udp";
    std::string r = std::string("alert ") + proto + " " + kDir[u(2)] + " " +
                    (ported ? kPorts[u(10)] : "any") + " (msg:\"synthetic " + std::to_string(sid) +
                    "\"; ";
    const std::uint32_t nc = proto == std::string("icmp") ? u(2) : 1 + u(3);
    for (std::uint32_t c = 0; c < nc; ++c) {
      std::string lit;
      const std::uint32_t len = 4 + u(21);
      for (std::uint32_t k = 0; k < len; ++k) lit += static_cast<char>('a' + u(26));
      r += "content:\"" + lit + "\"; ";
      if (u(4) == 0) r += "nocase; ";
      if (c == 0 && u(3) == 0) r += "depth:" + std::to_string(len + u(64)) + "; ";
      if (c > 0 && u(2) == 0) r += "distance:0; within:" + std::to_string(len + u(100)) + "; ";
    }
    r += std::string(ported ? kExtra[u(10)] : "") + "sid:" + std::to_string(sid) + "; rev:1;)";
    text += r + "\n";
  }
  return text;
}

void run_case(const char* name, const std::string& text, int runs) {
  std::vector<double> parse_ms;
  std::vector<double> compile_ms;
  std::vector<double> total_ms;
  std::size_t rules = 0;
  std::size_t images = 0;
  std::size_t bytes = 0;
  for (int r = 0; r < runs; ++r) {
    const auto t0 = Clock::now();
    dejfa::LoadResult lr;
    dejfa::parse_rules(text, name, {}, lr);
    const auto t1 = Clock::now();
    rules = lr.set.rules.size();
    images = 0;
    bytes = 0;
    const auto& cfg = dejfa::hw::kConfigs[1];  // 100g
    for (std::size_t at = 0; at < lr.set.rules.size(); at += cfg.rules_n) {
      dejfa::RuleSet chunk;
      const std::size_t end = std::min(lr.set.rules.size(), at + cfg.rules_n);
      chunk.rules.assign(lr.set.rules.begin() + static_cast<long>(at),
                         lr.set.rules.begin() + static_cast<long>(end));
      const auto res = dejfa::compile(chunk, cfg);
      if (!res.ok) {
        std::fprintf(stderr, "%s: chunk at %zu does not fit: %s\n", name, at,
                     res.diags.empty() ? "?" : res.diags[0].message.c_str());
        continue;
      }
      bytes += dejfa::encode(res.image).size();
      ++images;
    }
    const auto t2 = Clock::now();
    parse_ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    compile_ms.push_back(std::chrono::duration<double, std::milli>(t2 - t1).count());
    total_ms.push_back(std::chrono::duration<double, std::milli>(t2 - t0).count());
  }
  const auto p = stats(parse_ms);
  const auto c = stats(compile_ms);
  const auto t = stats(total_ms);
  std::printf("| %s | %zu | %zu | %.1f (%.1f–%.1f) | %.1f (%.1f–%.1f) | %.1f (%.1f–%.1f) | %zu |\n",
              name, rules, images, p.median, p.min, p.max, c.median, c.min, c.max, t.median, t.min,
              t.max, bytes);
}

// Rules with three long contents each (40-100 bytes: one or two literal pieces of 64 bytes):
// literal storage, not rule slots, is what fills first.
std::string long_content_rules(std::uint32_t n) {
  std::mt19937_64 rng(13);
  std::string text;
  for (std::uint32_t sid = 1; sid <= n; ++sid) {
    std::string r = "alert tcp any any -> any 80 (msg:\"long " + std::to_string(sid) + "\"; ";
    for (int c = 0; c < 3; ++c) {
      std::string lit;
      const auto len = 40 + rng() % 61;
      for (std::uint64_t k = 0; k < len; ++k) lit += static_cast<char>('a' + rng() % 26);
      r += "content:\"" + lit + "\"; ";
    }
    text += r + "sid:" + std::to_string(sid) + "; rev:1;)\n";
  }
  return text;
}

void capacity_case(const char* name, const std::string& text) {
  dejfa::LoadResult lr;
  dejfa::parse_rules(text, name, {}, lr);
  for (const auto& cfg : dejfa::hw::kConfigs) {
    const std::size_t n = dejfa::fitting_run(lr.set, 0, cfg);
    dejfa::RuleSet first;
    first.rules.assign(lr.set.rules.begin(), lr.set.rules.begin() + static_cast<long>(n));
    const auto res = dejfa::compile(first, cfg);
    std::string lits = "-", tight;
    if (res.ok) {
      std::vector<dejfa::Usage> u;  // the capacities (not the prefilter's figures)
      std::copy_if(res.usage.begin(), res.usage.end(), std::back_inserter(u),
                   [](const dejfa::Usage& x) { return !x.info; });
      std::sort(u.begin(), u.end(), [](const dejfa::Usage& a, const dejfa::Usage& b) {
        return a.used * b.avail > b.used * a.avail;  // fuller first
      });
      for (std::size_t i = 0; i < u.size() && i < 3; ++i) {
        if (u[i].avail == 0) continue;
        char buf[160];
        std::snprintf(buf, sizeof buf, "%s%s %llu / %llu", tight.empty() ? "" : "; ",
                      u[i].what.c_str(), static_cast<unsigned long long>(u[i].used),
                      static_cast<unsigned long long>(u[i].avail));
        tight += buf;
      }
      for (const auto& x : res.usage) {
        if (x.what.find("LITS_N") != std::string::npos) lits = std::to_string(x.used);
      }
    }
    std::string stop = "(the whole set fits)";
    if (n < lr.set.rules.size()) {
      dejfa::RuleSet more;
      more.rules.assign(lr.set.rules.begin(), lr.set.rules.begin() + static_cast<long>(n + 1));
      const auto r2 = dejfa::compile(more, cfg);
      stop = r2.ok || r2.diags.empty() ? "?" : r2.diags[0].message;
    }
    std::printf("| %s | %s | %zu | %zu | %s | %s | %s |\n", cfg.name.data(), name,
                lr.set.rules.size(), n, lits.c_str(), tight.c_str(), stop.c_str());
    std::fflush(stdout);
  }
}

std::string read_file(const char* path) {
  std::ifstream f(path);
  if (!f) {
    std::fprintf(stderr, "bench_compile: cannot read %s\n", path);
    std::exit(66);
  }
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string base_name(const std::string& path) { return path.substr(path.find_last_of('/') + 1); }

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "--capacity") {
    std::printf(
        "| config | rule set | rules in the set (in subset) | rules in one image (from the "
        "first) | literal pieces | fullest resources | what the next rule would exceed |\n");
    std::printf("|---|---|---:|---:|---:|---|---|\n");
    capacity_case("synthetic 10k", synth_rules(10000, 12));
    capacity_case("synthetic long contents", long_content_rules(2000));
    for (int i = 2; i < argc; ++i) capacity_case(base_name(argv[i]).c_str(), read_file(argv[i]));
    return 0;
  }
  const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
  std::printf(
      "| rule set | rules | images (100g) | parse ms | compile+encode ms | total ms | image bytes "
      "|\n");
  std::printf("|---|---:|---:|---:|---:|---:|---:|\n");
  run_case("synthetic 1k", synth_rules(1000, 11), runs);
  run_case("synthetic 10k", synth_rules(10000, 12), runs);
  for (int i = 2; i < argc; ++i) run_case(base_name(argv[i]).c_str(), read_file(argv[i]), runs);
  return 0;
}
