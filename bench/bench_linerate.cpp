// SPDX-License-Identifier: Apache-2.0
//
// Line rate and latency of the Verilated filter core (issue "Performance"), both configurations,
// with a full rule set loaded through the driver:
//   - floods of back-to-back frames (64, 65, IMIX, 9,000 bytes on the stream) and adversarial
//     payloads (near-hits: back-to-back prefixes of the loaded literals; hits: whole literals):
//     beats per cycle, input stall cycles, frames and bytes per second at the configuration's
//     clock against Ethernet line rate, overflow frames;
//   - latency: cycles from a frame's first beat in to its first beat out, on an idle core, per
//   size;
//   - simulation speed: cycles and frames per wall-clock second;
//   - hitless update: register writes and cycles to fill the shadow bank with a full image and
//     commit it, on an idle core and under IMIX traffic (frames judged meanwhile, input stalls),
//     and for one tuning operation (a rule disabled: shadow word, commit, new shadow word).
// Sizes are bytes on the AXI stream. Line rate is computed as if those bytes were the whole wire
// frame including FCS ((S + 20) × 8 bits per frame): stricter than Ethernet, where a 64-byte wire
// frame is 60 bytes on the stream.
//   bench_linerate [--config 10g|100g] [--frames N] [--runs R] [--max-beats B]
//                  [--table speed|rate|latency|load]
// A rate or speed row stops adding frames at B beats (default 2,000,000), keeping at least 200.
// Prints markdown rows; bench/linerate.sh runs it for both configurations.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "dejfa/driver.hpp"
#include "dejfa/image_compile.hpp"
#include "dejfa/image_model.hpp"
#include "dejfa/image_tables.hpp"
#include "dejfa/pktbuild.hpp"
#include "dejfa/rules.hpp"
#include "dejfa/sim/core.hpp"

namespace {

using Clock = std::chrono::steady_clock;

const dejfa::hw::Config* find_config(const std::string& name) {
  for (const auto& c : dejfa::hw::kConfigs)
    if (c.name == name) return &c;
  return nullptr;
}

// ET-shaped synthetic rules (as bench_compile), all content rules on TCP so every flood frame is
// a candidate for the prefilter.
std::string synth_rules(std::uint32_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto u = [&](std::uint32_t k) {
    return std::uniform_int_distribution<std::uint32_t>(0, k - 1)(rng);
  };
  static const char* kPorts[] = {"any", "80", "443", "[80,8080]", "1024:"};
  std::string text;
  for (std::uint32_t sid = 1; sid <= n; ++sid) {
    std::string r = std::string(u(4) == 0 ? "drop" : "alert") + " tcp any any -> any " +
                    kPorts[u(5)] + " (msg:\"synthetic " + std::to_string(sid) + "\"; ";
    const std::uint32_t nc = 1 + u(3);
    for (std::uint32_t c = 0; c < nc; ++c) {
      std::string lit;
      const std::uint32_t len = 4 + u(21);
      for (std::uint32_t k = 0; k < len; ++k) lit += static_cast<char>('a' + u(26));
      r += "content:\"" + lit + "\"; ";
      if (u(4) == 0) r += "nocase; ";
      if (c > 0 && u(2) == 0) r += "distance:0; within:" + std::to_string(len + u(100)) + "; ";
    }
    text += r + "sid:" + std::to_string(sid) + "; rev:1;)\n";
  }
  return text;
}

struct Loaded {
  dejfa::Image img;
  std::vector<std::string> literals;
  std::size_t rules = 0;
};

/// The largest synthetic set that compiles for `cfg` (starting at its rule capacity).
Loaded full_image(const dejfa::hw::Config& cfg, std::uint64_t seed = 7) {
  for (std::uint32_t n = cfg.rules_n; n >= 16; n -= n / 16) {
    const std::string text = synth_rules(n, seed);
    dejfa::LoadResult lr;
    dejfa::parse_rules(text, "<synthetic>", {}, lr);
    auto res = dejfa::compile(lr.set, cfg);
    if (!res.ok) continue;
    Loaded l;
    l.img = std::move(res.image);
    l.rules = lr.set.rules.size();
    for (std::size_t p = 0; p < text.size();) {
      const std::size_t a = text.find("content:\"", p);
      if (a == std::string::npos) break;
      const std::size_t b = text.find('"', a + 9);
      l.literals.push_back(text.substr(a + 9, b - a - 9));
      p = b + 1;
    }
    return l;
  }
  throw std::runtime_error("no synthetic rule set compiles for " + std::string(cfg.name));
}

/// An IMIX frame size: 64, 576 and 1,500 bytes in the ratio 7:4:1 (355 bytes on average).
std::size_t imix_size(std::mt19937_64& rng) {
  const auto k = rng() % 12;
  return k < 7 ? 64U : (k < 11 ? 576U : 1500U);
}

/// A TCP frame of exactly `size` bytes on the stream (60 at least) with `payload` repeated into it.
std::vector<std::uint8_t> frame_of(std::size_t size, const std::string& fill,
                                   std::mt19937_64& rng) {
  dejfa::FrameSpec s;
  s.dport = 80;
  s.sport = static_cast<std::uint16_t>(1024 + rng() % 60000);
  const std::size_t hdr = 14 + 20 + 20;
  const std::size_t n = size > hdr ? size - hdr : 0;
  s.payload.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    s.payload[i] = fill.empty() ? static_cast<std::uint8_t>(rng())
                                : static_cast<std::uint8_t>(fill[i % fill.size()]);
  }
  auto f = dejfa::build_frame(s);
  f.resize(std::max<std::size_t>(size, 60), 0);
  return f;
}

struct Scenario {
  std::string name;
  std::function<std::size_t(std::mt19937_64&)> size;  // frame size
  std::string fill;                                   // payload pattern (empty: random)
};

struct RateResult {
  std::uint64_t frames = 0, bytes = 0, beats = 0, window = 0, stalls = 0, overflow = 0;
  double wall_s = 0;
  std::uint64_t cycles = 0;
};

RateResult run_rate(const dejfa::hw::Config& cfg, const Loaded& l, const Scenario& sc,
                    std::size_t n, std::uint64_t max_beats) {
  dejfa::sim::CoreOptions o;
  o.seed = 1;
  o.record_starts = true;
  auto core = dejfa::sim::CoreSim::create(cfg, o);
  core->reset();
  dejfa::Driver drv(core->bus(), [&] { core->step(); });
  drv.identify();
  drv.load(l.img);
  drv.set_control(true, false, false);
  std::mt19937_64 rng(11);
  std::vector<std::vector<std::uint8_t>> frames;
  RateResult r;
  // At most max_beats per row: large frames get fewer of them (at least 200).
  const std::size_t beat = cfg.data_w / 8;
  std::uint64_t beats = 0;
  for (std::size_t i = 0; i < n && (i < 200 || beats < max_beats); ++i) {
    frames.push_back(frame_of(sc.size(rng), sc.fill, rng));
    r.bytes += frames.back().size();
    beats += (frames.back().size() + beat - 1) / beat;
  }
  n = frames.size();
  // Every row's verdicts are checked against the image model after the timed loop (outside its
  // timing): a figure from a build that judges wrongly is no figure. The copy is of the frames'
  // bytes, made before the loop moves them into the core.
  const std::vector<std::vector<std::uint8_t>> sent_copy = frames;
  std::vector<dejfa::sim::Meta> records;
  records.reserve(n);
  const std::uint64_t beats0 = core->beats_in(), stalls0 = core->stall_cycles();
  std::size_t sent = 0, judged = 0;
  std::uint64_t first = 0, last = 0;
  const auto t0 = Clock::now();
  const std::uint64_t c0 = core->cycles();
  while (judged < n) {
    while (sent < n && core->input_pending() < 8) core->push(std::move(frames[sent++]));
    core->step();
    auto& st = core->in_starts();
    while (!st.empty()) {
      if (first == 0) first = st.front();
      st.pop_front();
    }
    if (core->input_idle() && sent == n && last == 0) last = core->cycles();
    while (!core->meta().empty()) {
      r.overflow += core->meta().front().overflow ? 1U : 0U;
      records.push_back(std::move(core->meta().front()));
      core->meta().pop_front();
      ++judged;
    }
    core->out().clear();
  }
  r.wall_s = std::chrono::duration<double>(Clock::now() - t0).count();
  const dejfa::ImageModel model(l.img);
  for (std::size_t i = 0; i < n; ++i) {
    const dejfa::Verdict v = model.judge(sent_copy[i]);
    const auto& m = records[i];
    const bool ok = m.overflow ? std::includes(v.matched.begin(), v.matched.end(),
                                               m.matched.begin(), m.matched.end())
                               : (m.matched == v.matched && m.drop == v.drop);
    if (!ok) {
      throw std::runtime_error(sc.name + ": frame " + std::to_string(i) +
                               " judged unlike the image model (the build is wrong; no figure)");
    }
  }
  r.cycles = core->cycles() - c0;
  r.frames = n;
  r.beats = core->beats_in() - beats0;
  r.window = last - first;
  r.stalls = core->stall_cycles() - stalls0;
  return r;
}

/// Median latency (first beat in to first beat out) of `n` frames of `size` sent one at a time.
std::uint64_t run_latency(const dejfa::hw::Config& cfg, const Loaded& l, std::size_t size,
                          const std::string& fill) {
  dejfa::sim::CoreOptions o;
  o.seed = 1;
  o.record_starts = true;
  auto core = dejfa::sim::CoreSim::create(cfg, o);
  core->reset();
  dejfa::Driver drv(core->bus(), [&] { core->step(); });
  drv.identify();
  drv.load(l.img);
  drv.set_control(true, false, false);
  core->in_starts().clear();
  std::mt19937_64 rng(5);
  std::vector<std::uint64_t> lat;
  for (int i = 0; i < 9; ++i) {
    core->push(frame_of(size, fill, rng));
    for (int c = 0; c < 100000 && core->out().empty(); ++c) core->step();
    if (core->out().empty() || core->in_starts().empty()) {
      throw std::runtime_error("latency run: frame " + std::to_string(i) + " did not pass");
    }
    lat.push_back(core->out().front().first_cycle - core->in_starts().front());
    core->out().pop_front();
    core->in_starts().pop_front();
    for (int c = 0; c < 200; ++c) core->step();  // idle again
    core->meta().clear();
  }
  std::sort(lat.begin(), lat.end());
  return lat[lat.size() / 2];
}

struct LoadResult {
  std::uint64_t writes = 0, cycles = 0, judged = 0, stalls = 0;
};

/// Loads image `a` on an idle core, then `b` under back-to-back IMIX traffic, then disables two
/// rules under traffic (the first tuning operation after a load brings the new shadow up to date
/// in full; the second is the steady-state cost); one result per step.
std::vector<LoadResult> run_load(const dejfa::hw::Config& cfg, const Loaded& a, const Loaded& b) {
  dejfa::sim::CoreOptions o;
  o.seed = 1;
  auto core = dejfa::sim::CoreSim::create(cfg, o);
  core->reset();
  std::mt19937_64 rng(13);
  dejfa::Driver drv(core->bus(), [&] { core->step(); });
  drv.identify();
  std::vector<LoadResult> out;
  const auto measure = [&](const std::function<void()>& op, std::size_t frames) {
    // The bus accesses clock the model, and queued frames flow meanwhile.
    for (std::size_t i = 0; i < frames; ++i) {
      core->push(frame_of(imix_size(rng), "", rng));
    }
    for (int c = 0; c < 200 && frames > 0; ++c) core->step();  // traffic in full flow first
    core->meta().clear();
    core->out().clear();
    LoadResult r;
    const std::uint64_t w0 = drv.writes(), c0 = core->cycles(), s0 = core->stall_cycles();
    op();
    r.writes = drv.writes() - w0;
    r.cycles = core->cycles() - c0;
    r.judged = core->meta().size();
    r.stalls = core->stall_cycles() - s0;
    if (frames > 0 && core->input_pending() == 0) {
      throw std::runtime_error("load run: the traffic (" + std::to_string(frames) +
                               " frames) ran out before the operation ended (" +
                               std::to_string(r.cycles) + " cycles, " + std::to_string(r.judged) +
                               " frames judged)");
    }
    while (core->input_pending() > 0 || !core->input_idle()) core->step();  // drain
    for (int c = 0; c < 2000; ++c) core->step();
    core->meta().clear();
    core->out().clear();
    out.push_back(r);
  };
  measure([&] { drv.load(a.img); }, 0);
  drv.set_control(true, false, false);
  // IMIX averages 355 bytes: enough frames for twice the idle load's cycles
  const std::size_t beats = 355 / (cfg.data_w / 8) + 1;
  const std::size_t n = static_cast<std::size_t>(2 * out[0].cycles / beats) + 100;
  measure([&] { drv.load(b.img); }, n);
  measure([&] { drv.set_rule_enabled(0, false); }, n);
  measure([&] { drv.set_rule_enabled(1, false); }, n);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::string cfg_name = "10g", table = "rate";
  std::size_t frames = 20000;
  std::uint64_t max_beats = 2'000'000;
  int runs = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--config")
      cfg_name = argv[i + 1];
    else if (a == "--frames")
      frames = std::stoul(argv[i + 1]);
    else if (a == "--max-beats")
      max_beats = std::stoull(argv[i + 1]);
    else if (a == "--runs")
      runs = std::stoi(argv[i + 1]);
    else if (a == "--table")
      table = argv[i + 1];
    else {
      std::fprintf(stderr, "bench_linerate: unknown option %s\n", a.c_str());
      return 64;
    }
  }
  const auto* cfg = find_config(cfg_name);
  if (cfg == nullptr) {
    std::fprintf(stderr, "bench_linerate: no configuration %s\n", cfg_name.c_str());
    return 64;
  }
  try {
    const Loaded l = full_image(*cfg);
    const double clk = cfg->clk_khz * 1e3;
    const double line = cfg->data_w >= 512 ? 100e9 : 10e9;
    const std::size_t beat = cfg->data_w / 8;
    // Near-hits: each literal without its last byte, back to back: every position starts a
    // prefix of a loaded literal and the prefilter fires across the payload.
    std::string near, hits;
    for (const auto& s : l.literals) {
      near += s.substr(0, s.size() - 1);
      hits += s;
    }
    const std::vector<Scenario> scenarios = {
        {"64 B flood", [](std::mt19937_64&) { return std::size_t{64}; }, ""},
        {"65 B flood", [](std::mt19937_64&) { return std::size_t{65}; }, ""},
        {"IMIX 7:4:1 (64/576/1500)", imix_size, ""},
        {"9,000 B flood", [](std::mt19937_64&) { return std::size_t{9000}; }, ""},
        {"1,500 B near-hit payloads", [](std::mt19937_64&) { return std::size_t{1500}; }, near},
        {"1,500 B whole-literal payloads", [](std::mt19937_64&) { return std::size_t{1500}; },
         hits},
    };
    if (table == "rate" || table == "speed") {
      for (const auto& sc : scenarios) {
        std::vector<double> wall;
        RateResult r;
        for (int k = 0; k < runs; ++k) {
          r = run_rate(*cfg, l, sc, frames, max_beats);  // cycle counts are deterministic
          wall.push_back(r.wall_s);
        }
        std::sort(wall.begin(), wall.end());
        const double w = static_cast<double>(r.window);
        const double bpc = static_cast<double>(r.beats) / w;
        const double mpps = static_cast<double>(r.frames) / w * clk / 1e6;
        const double gbps = static_cast<double>(r.bytes) * 8 / w * clk / 1e9;
        const double avg = static_cast<double>(r.bytes) / static_cast<double>(r.frames);
        const double line_mpps = line / ((avg + 20) * 8) / 1e6;
        if (table == "rate") {
          std::printf(
              "| %s | %s | %zu | %.0f | %llu | %.3f | %llu | %.2f | %.2f | %.2f | %.0f %% | %llu "
              "|\n",
              cfg->name.data(), sc.name.c_str(), l.rules, avg,
              static_cast<unsigned long long>(r.window), bpc,
              static_cast<unsigned long long>(r.stalls), gbps, mpps, line_mpps,
              100 * mpps / line_mpps, static_cast<unsigned long long>(r.overflow));
        } else {
          const double med = wall[wall.size() / 2];
          std::printf("| %s | %s | %.1f k (%.1f–%.1f k) | %.1f |\n", cfg->name.data(),
                      sc.name.c_str(), static_cast<double>(r.cycles) / med / 1e3,
                      static_cast<double>(r.cycles) / wall.back() / 1e3,
                      static_cast<double>(r.cycles) / wall.front() / 1e3,
                      static_cast<double>(r.frames) / med);
        }
        std::fflush(stdout);
      }
    } else if (table == "latency") {
      for (const std::size_t size :
           std::vector<std::size_t>{64, 65, 128, 256, 512, 1024, 1500, 9000}) {
        const std::uint64_t plain = run_latency(*cfg, l, size, "");
        const std::uint64_t content = run_latency(*cfg, l, size, near);
        std::printf("| %s | %zu | %zu | %llu | %llu | %.0f / %.0f |\n", cfg->name.data(), size,
                    (size + beat - 1) / beat, static_cast<unsigned long long>(plain),
                    static_cast<unsigned long long>(content),
                    static_cast<double>(plain) / clk * 1e9,
                    static_cast<double>(content) / clk * 1e9);
        std::fflush(stdout);
      }
    } else if (table == "load") {
      const Loaded b = full_image(*cfg, 8);
      const auto r = run_load(*cfg, l, b);
      const char* what[] = {"full image, idle core", "full image, under IMIX traffic",
                            "first rule disabled after the load, under IMIX traffic",
                            "next rule disabled, under IMIX traffic"};
      for (std::size_t i = 0; i < r.size(); ++i) {
        std::printf("| %s | %s | %zu | %llu | %llu | %.1f | %llu | %llu |\n", cfg->name.data(),
                    what[i], i == 0 ? l.rules : b.rules,
                    static_cast<unsigned long long>(r[i].writes),
                    static_cast<unsigned long long>(r[i].cycles),
                    static_cast<double>(r[i].cycles) / clk * 1e6,
                    static_cast<unsigned long long>(r[i].judged),
                    static_cast<unsigned long long>(r[i].stalls));
      }
    } else {
      std::fprintf(stderr, "bench_linerate: --table is rate, speed, latency or load\n");
      return 64;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_linerate: %s\n", e.what());
    return 1;
  }
  return 0;
}
