// SPDX-License-Identifier: Apache-2.0
//
// Unit test of dejfa_parser: for every frame, the descriptor equals the reference model's
// decoder field for field. Random, edge-case and malformed frames; random valid bubbles and
// random tready (the parser only observes handshakes); back-to-back frames.

#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "Vdejfa_parser.h"

#include "dejfa/gen/regs.hpp"

#include "../common/randgen.hpp"
#include "dejfa/decode.hpp"
#include "dejfa/pcapio.hpp"
#include "dejfa/pktbuild.hpp"
#include "dejfa/sim/axis.hpp"
#include "dejfa/sim/harness.hpp"

namespace {

using dejfa::Packet;
using dejfa::sim::Harness;

constexpr const dejfa::hw::Config& kCfg = dejfa::hw::kConfigs[DEJFA_CFG_INDEX];
constexpr std::size_t kKeepW = kCfg.data_w / 8;
using Model = Vdejfa_parser;

dejfa::IpAddr addr_of(const VlWide<4>& w, bool v6) {
  dejfa::IpAddr a;
  a.v6 = v6;
  for (std::size_t j = 0; j < 16; ++j) a.b[j] = dejfa::sim::get_byte(w, 15 - j);
  return a;
}

class ReadyDriver : public dejfa::sim::Part {
 public:
  ReadyDriver(Harness<Model>& h, unsigned pct) : h_(h), pct_(pct) { h.add(*this); }
  void sample(std::uint64_t) override {}
  void drive(std::uint64_t) override {
    h_.m().s_axis_tready = (pct_ == 0 || dist_(h_.rng()) >= pct_) ? 1 : 0;
  }

 private:
  Harness<Model>& h_;
  unsigned pct_;
  std::uniform_int_distribution<unsigned> dist_{0, 99};
};

class Monitor : public dejfa::sim::Part {
 public:
  explicit Monitor(Harness<Model>& h) : h_(h) { h.add(*this); }
  void sample(std::uint64_t) override {
    auto& m = h_.m();
    if (m.rst) return;
    if (m.s_axis_tvalid && m.s_axis_tready && m.s_axis_tlast) last_beats.push_back(h_.cycle());
    if (!m.m_hdr_valid) return;
    Packet p;
    p.frame_len = m.m_hdr_frame_len;
    p.malformed = static_cast<dejfa::Malformed>(m.m_hdr_malformed);
    p.vlans = m.m_hdr_vlans;
    p.ip = m.m_hdr_ip != 0;
    p.v6 = m.m_hdr_v6 != 0;
    p.src = addr_of(m.m_hdr_src, p.v6);
    p.dst = addr_of(m.m_hdr_dst, p.v6);
    p.proto = m.m_hdr_proto;
    p.ttl = m.m_hdr_ttl;
    p.fragment = m.m_hdr_frag != 0;
    p.later_fragment = m.m_hdr_later_frag != 0;
    p.l4 = static_cast<Packet::L4>(m.m_hdr_l4);
    p.sport = m.m_hdr_sport;
    p.dport = m.m_hdr_dport;
    p.tcp_flags = m.m_hdr_tcp_flags;
    p.icmp_type = m.m_hdr_icmp_type;
    p.icmp_code = m.m_hdr_icmp_code;
    p.payload_valid = m.m_hdr_payload_valid != 0;
    p.payload_off = m.m_hdr_payload_off;
    p.payload_len = m.m_hdr_payload_len;
    got.push_back(p);
    cycles.push_back(h_.cycle());
  }
  void drive(std::uint64_t) override {}
  std::deque<Packet> got;
  std::vector<std::uint64_t> cycles;      // cycle of each descriptor
  std::vector<std::uint64_t> last_beats;  // cycle of each frame's last-beat handshake

 private:
  Harness<Model>& h_;
};

std::string describe(const Packet& p) {
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "len %u mal %s vlans %u ip %d v6 %d src %s dst %s proto %u ttl %u frag %d/%d l4 %d "
                "ports %u->%u flags %02x icmp %u/%u payload %d %u+%u",
                p.frame_len, dejfa::malformed_name(p.malformed), p.vlans, p.ip, p.v6,
                p.src.str().c_str(), p.dst.str().c_str(), p.proto, p.ttl, p.fragment,
                p.later_fragment, static_cast<int>(p.l4), p.sport, p.dport, p.tcp_flags,
                p.icmp_type, p.icmp_code, p.payload_valid, p.payload_off, p.payload_len);
  return buf;
}

bool same(const Packet& a, const Packet& b) { return describe(a) == describe(b); }

struct Param {
  unsigned bubble_pct;
  unsigned ready_pct;
};

class ParserTest : public ::testing::TestWithParam<Param> {
 protected:
  std::vector<std::uint64_t> cycles_;

  void run(const std::vector<std::vector<std::uint8_t>>& frames) {
    const auto seed = dejfa::sim::seed_from_env();
    std::printf("config %s seed %llu (DEJFA_SEED to rerun), %zu frames\n",
                std::string(kCfg.name).c_str(), static_cast<unsigned long long>(seed),
                frames.size());
    Harness<Model> h(seed);
    dejfa::sim::AxisSource<Model, kKeepW> src(h, GetParam().bubble_pct);
    ReadyDriver rdy(h, GetParam().ready_pct);
    Monitor mon(h);
    h.m().s_axis_tready = 1;
    h.reset();
    for (const auto& f : frames) src.push(f);
    std::uint64_t beats = 0;
    for (const auto& f : frames) beats += (f.size() + kKeepW - 1) / kKeepW;
    h.run_until([&] { return mon.got.size() == frames.size(); }, 20 * beats + 10000,
                "all descriptors");
    for (int i = 0; i < 10; ++i) h.tick();
    ASSERT_EQ(mon.got.size(), frames.size()) << "a descriptor per frame, no more";
    cycles_ = mon.cycles;
    ASSERT_EQ(mon.last_beats.size(), frames.size());
    for (std::size_t i = 0; i < frames.size(); ++i) {
      ASSERT_EQ(mon.cycles[i] - mon.last_beats[i], 4U) << "latency (docs/HARDWARE.md), frame " << i;
    }
    dejfa::DecodeLimits lim;
    lim.hdr_win_b = kCfg.hdr_win_b;
    for (std::size_t i = 0; i < frames.size(); ++i) {
      auto want = dejfa::decode(frames[i], lim);
      want.frame_len = static_cast<std::uint32_t>(frames[i].size());
      ASSERT_TRUE(same(mon.got[i], want))
          << "frame " << i << " (" << frames[i].size() << " bytes, seed " << seed
          << ")\n  rtl: " << describe(mon.got[i]) << "\n  ref: " << describe(want);
    }
  }
};

TEST_P(ParserTest, RandomFramesMatchTheDecoder) {
  dejfa::testgen::Gen g(dejfa::sim::seed_from_env());
  std::vector<std::vector<std::uint8_t>> frames;
  for (int i = 0; i < 3000; ++i) frames.push_back(g.frame());
  run(frames);
}

TEST_P(ParserTest, EdgeCases) {
  std::vector<std::vector<std::uint8_t>> frames;
  for (std::size_t n = 0; n <= 70; ++n) {  // runts and cut headers, byte by byte
    dejfa::FrameSpec s;
    s.payload = dejfa::bytes("hello");
    auto f = dejfa::build_frame(s);
    f.resize(std::min(n, f.size()));
    if (!f.empty()) frames.push_back(f);
  }
  dejfa::FrameSpec s;
  s.payload.assign(9000, 'x');  // jumbo
  frames.push_back(dejfa::build_frame(s));
  s.payload.clear();
  s.vlans = {1, 2};
  s.ip4_options.assign(40, 1);
  s.tcp_options.assign(40, 1);  // TCP header at 82, flags at 95: inside the window
  frames.push_back(dejfa::build_frame(s));
  s = dejfa::FrameSpec{};
  s.v6 = true;
  s.src = *dejfa::parse_ip("2001:db8::1");
  s.dst = *dejfa::parse_ip("2001:db8::2");
  for (int a = 8; a <= 72; a += 8) {
    // pushes the TCP header across the window edge
    s.ip6_ext = {{std::uint8_t{0}, static_cast<std::uint16_t>(a)},
                 {std::uint8_t{60}, std::uint16_t{8}}};
    frames.push_back(dejfa::build_frame(s));
  }
  s.ip6_ext = {{44, 8}};
  s.frag_offset = 3;
  frames.push_back(dejfa::build_frame(s));
  s.ip6_ext = {{0, 8}, {43, 8}, {60, 8}};
  frames.push_back(dejfa::build_frame(s));
  s = dejfa::FrameSpec{};
  s.vlans = {1, 2, 3};
  frames.push_back(dejfa::build_frame(s));
  std::vector<std::uint8_t> arp(60, 0);
  arp[12] = 0x08;
  arp[13] = 0x06;
  frames.push_back(arp);
  run(frames);
}

TEST_P(ParserTest, BackToBackMinimumFrames) {
  std::vector<std::vector<std::uint8_t>> frames;
  dejfa::testgen::Gen g(7);
  for (int i = 0; i < 500; ++i) {
    dejfa::FrameSpec s;
    s.sport = static_cast<std::uint16_t>(i);
    s.proto = (i % 3 == 0) ? 17 : 6;
    frames.push_back(dejfa::build_frame(s));  // 60 bytes: one beat at 512 bits
  }
  run(frames);
  if (GetParam().bubble_pct == 0 && GetParam().ready_pct == 0) {
    // Line rate: a descriptor every ceil(60 / bytes per beat) cycles, no per-frame bubble.
    const std::uint64_t beats = (60 + kKeepW - 1) / kKeepW;
    for (std::size_t i = 1; i < cycles_.size(); ++i) {
      ASSERT_EQ(cycles_[i] - cycles_[i - 1], beats) << "descriptor " << i;
    }
  }
}

// Every frame of the shared real captures (unpacked by the rtl.real_captures fixture).
TEST_P(ParserTest, RealCaptures) {
  const char* dir = std::getenv("DEJFA_REAL_PCAPS");
  const bool ci = std::getenv("CI") != nullptr && std::string(std::getenv("CI")) == "true";
  if (dir == nullptr || !std::filesystem::exists(dir)) {
    if (ci) FAIL() << "DEJFA_REAL_PCAPS is not set up and CI=true requires the shared captures";
    GTEST_SKIP() << "shared captures not found (../shared/data beside the checkout)";
  }
  std::vector<std::vector<std::uint8_t>> frames;
  for (const auto& f : dejfa::capture_files(dir)) {
    dejfa::PcapReader rd;
    std::string err;
    if (!rd.open(f, err)) continue;  // link types the hardware never sees
    dejfa::CapturedFrame cf;
    while (rd.next(cf)) {
      if (!cf.frame.empty()) frames.push_back(cf.frame);
    }
  }
  ASSERT_GT(frames.size(), 40000U) << "expected the 41k frames of the shared captures";
  run(frames);
}

INSTANTIATE_TEST_SUITE_P(Flow, ParserTest,
                         ::testing::Values(Param{0, 0}, Param{30, 0}, Param{20, 30}),
                         [](const auto& i) {
                           return "bubbles" + std::to_string(i.param.bubble_pct) + "_backpressure" +
                                  std::to_string(i.param.ready_pct);
                         });

}  // namespace
