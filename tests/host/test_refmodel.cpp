// SPDX-License-Identifier: Apache-2.0
//
// Reference-model semantics: content inspection edge cases (each expectation follows Suricata's
// detect-engine-content-inspection.c, quirks included), header matching, actions, the decoder.

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "dejfa/pktbuild.hpp"
#include "dejfa/refmodel.hpp"
#include "dejfa/rules.hpp"

namespace {

using dejfa::bytes;
using dejfa::FrameSpec;
using dejfa::IpAddr;
using dejfa::Malformed;

// ---------------------------------------------------------------- content inspection
struct ContentCase {
  const char* name;
  const char* options;  // content keywords of a rule
  std::string payload;
  bool expect;
};

class ContentTest : public ::testing::TestWithParam<ContentCase> {};

TEST_P(ContentTest, MatchesLikeSuricata) {
  const auto& c = GetParam();
  const auto r = dejfa::parse_rule_string(std::string("alert tcp any any -> any any (") +
                                          c.options + " sid:1;)");
  ASSERT_EQ(r.set.rules.size(), 1U) << r.diags.at(0).str();
  const auto buf = bytes(c.payload);
  EXPECT_EQ(dejfa::content_match(r.set.rules[0].contents, buf), c.expect) << c.name;
}

const std::string kWrap = "x" + std::string(10, '.') + "abc";

INSTANTIATE_TEST_SUITE_P(
    Semantics, ContentTest,
    ::testing::Values(
        ContentCase{"at_offset_0", R"(content:"abc";)", "abcdef", true},
        ContentCase{"at_end", R"(content:"def";)", "abcdef", true},
        ContentCase{"absent", R"(content:"abd";)", "abcdef", false},
        ContentCase{"longer_than_buffer", R"(content:"abcdefg";)", "abcdef", false},
        ContentCase{"depth_equals_length", R"(content:"abc"; depth:3;)", "abcdef", true},
        ContentCase{"depth_equals_length_shifted", R"(content:"abc"; depth:3;)", "xabcdef", false},
        ContentCase{"offset_skips_first", R"(content:"abc"; offset:1;)", "abcabc", true},
        ContentCase{"offset_no_second", R"(content:"abc"; offset:1;)", "abcxxx", false},
        ContentCase{"offset_depth_window", R"(content:"abc"; offset:2; depth:3;)", "xxabcx", true},
        ContentCase{"offset_depth_outside", R"(content:"abc"; offset:2; depth:3;)", "xxxabc",
                    false},
        ContentCase{"offset_beyond_buffer", R"(content:"a"; offset:10;)", "aaaa", false},
        ContentCase{"nocase_letters", R"(content:"GeT /"; nocase;)", "get /x", true},
        ContentCase{"nocase_digits_punct", R"(content:"a-1"; nocase;)", "A-1", true},
        ContentCase{"nocase_not_0x20_fold", R"(content:"@"; nocase;)", "`", false},
        ContentCase{"nocase_not_latin1", R"(content:"|e9|"; nocase;)", "\xc9", false},
        ContentCase{"case_sensitive", R"(content:"GET";)", "get", false},
        ContentCase{"hex_bytes", R"(content:"|00 ff|A";)", std::string("\x01\x00\xff\x41", 4),
                    true},
        ContentCase{"negative_distance", R"(content:"def"; content:"abc"; distance:-6; within:3;)",
                    "abcdef", true},
        ContentCase{"distance_pushes_out", R"(content:"a"; content:"b"; distance:10;)", "ab",
                    false},
        ContentCase{"in_order_relative", R"(content:"a"; content:"b"; distance:0;)", "ab", true},
        ContentCase{"out_of_order_relative", R"(content:"b"; content:"a"; distance:0;)", "ab",
                    false},
        ContentCase{"out_of_order_absolute", R"(content:"b"; content:"a";)", "ab", true},
        ContentCase{"backtrack_within", R"(content:"a"; content:"Y"; distance:0; within:1;)",
                    "aXb aYb", true},
        ContentCase{
            "backtrack_chain_of_three",
            R"(content:"a"; content:"b"; distance:0; within:1; content:"d"; distance:0; within:1;)",
            "ab ac ad abd", true},
        ContentCase{"within_counts_from_prev_end", R"(content:"ab"; content:"cd"; within:4;)",
                    "ab..cd", true},
        ContentCase{"within_too_short_gap", R"(content:"ab"; content:"cd"; within:3;)", "ab..cd",
                    false},
        ContentCase{"within_plus_distance", R"(content:"ab"; content:"cd"; distance:2; within:2;)",
                    "ab..cd", true},
        ContentCase{"negated_absent", R"(content:!"evil";)", "good", true},
        ContentCase{"negated_present", R"(content:!"evil";)", "so evil", false},
        ContentCase{"negated_depth_outside", R"(content:!"a"; depth:1;)", "ba", true},
        // Suricata backtracks for a negated relative content only when it has `within`.
        ContentCase{"negated_relative_within_backtracks",
                    R"(content:"a"; content:!"X"; distance:0; within:1;)", "aXa", true},
        ContentCase{"negated_relative_distance_only_no_backtrack",
                    R"(content:"a"; content:!"X"; distance:0;)", "aXa", false},
        // Negative distance beyond the start clamps to 0; the within limit wraps in 32 bits and
        // so stops limiting (Suricata's arithmetic).
        ContentCase{"within_wrap_quirk", R"(content:"abc"; content:"x"; distance:-100; within:5;)",
                    kWrap, true},
        ContentCase{"relative_first_content", R"(content:"b"; distance:1; within:1;)", "ab", true},
        ContentCase{"relative_first_content_miss", R"(content:"b"; distance:0; within:1;)", "ab",
                    false}),
    [](const auto& i) { return std::string(i.param.name); });

// ---------------------------------------------------------------- headers and verdicts
struct Fixture : ::testing::Test {
  dejfa::RuleSet rs;
  void load(const std::string& text) {
    auto r = dejfa::parse_rule_string(text);
    for (const auto& d : r.diags) ADD_FAILURE() << d.str();
    rs = std::move(r.set);
  }
  std::vector<std::uint32_t> sids(const std::vector<std::uint32_t>& idx) const {
    std::vector<std::uint32_t> v;
    for (auto i : idx) v.push_back(rs.rules[i].sid);
    return v;
  }
};

using Verdicts = Fixture;

TEST_F(Verdicts, AddressesPortsDirection) {
  load(
      "alert tcp 10.0.0.1 any -> 10.0.0.2 80 (sid:1;)\n"
      "alert tcp 10.0.0.2 80 -> 10.0.0.1 any (sid:2;)\n"
      "alert tcp 10.0.0.2 80 <> 10.0.0.1 any (sid:3;)\n"
      "alert tcp any any -> any 81 (sid:4;)\n"
      "alert udp any any -> any 80 (sid:5;)\n");
  dejfa::RefModel m(rs);
  FrameSpec s;  // 10.0.0.1:1234 -> 10.0.0.2:80 TCP
  const auto v = m.judge(build_frame(s));
  EXPECT_EQ(sids(v.matched), (std::vector<std::uint32_t>{1, 3}));
  EXPECT_EQ(v.alerted, v.matched);
  EXPECT_FALSE(v.drop);
}

TEST_F(Verdicts, ExternalNetIsPerFamilyLikeSuricata) {
  load(
      "alert ip $EXTERNAL_NET any -> any any (sid:1;)\n"
      "alert ip !1.2.3.4 any -> any any (sid:2;)\n"
      "alert ip any any -> any any (sid:3;)\n"
      "alert ip [!1.2.3.4,2001:db8::/32] any -> any any (sid:4;)\n");
  dejfa::RefModel m(rs);
  FrameSpec s;
  s.v6 = true;
  s.src = *dejfa::parse_ip("2001:db8::1");
  s.dst = *dejfa::parse_ip("2001:db8::2");
  // A pure IPv4 negation has no IPv6 part: IPv6 packets miss sid 1 and 2.
  EXPECT_EQ(sids(m.judge(build_frame(s)).matched), (std::vector<std::uint32_t>{3, 4}));
  s = FrameSpec{};
  s.src = IpAddr::v4(0x08080808);
  EXPECT_EQ(sids(m.judge(build_frame(s)).matched), (std::vector<std::uint32_t>{1, 2, 3, 4}));
  s.src = IpAddr::v4(0x01020304);
  EXPECT_EQ(sids(m.judge(build_frame(s)).matched), (std::vector<std::uint32_t>{1, 3}));
}

TEST_F(Verdicts, ActionOrderPassDropAlert) {
  load(
      "alert tcp any any -> any any (sid:1;)\n"
      "drop tcp any any -> any any (content:\"bad\"; sid:2;)\n"
      "reject tcp any any -> any any (content:\"rej\"; sid:3;)\n"
      "pass tcp any any -> any any (content:\"ok\"; sid:4;)\n");
  dejfa::RefModel m(rs);
  FrameSpec s;
  s.payload = bytes("bad");
  auto v = m.judge(build_frame(s));
  EXPECT_TRUE(v.drop);
  EXPECT_EQ(sids(v.alerted), (std::vector<std::uint32_t>{1, 2}));
  s.payload = bytes("rej");
  EXPECT_TRUE(m.judge(build_frame(s)).drop) << "reject drops in hardware";
  s.payload = bytes("bad but ok");
  v = m.judge(build_frame(s));
  EXPECT_FALSE(v.drop) << "pass beats drop";
  EXPECT_TRUE(v.pass_rule);
  EXPECT_EQ(sids(v.matched), (std::vector<std::uint32_t>{1, 2, 4}));
  EXPECT_TRUE(v.alerted.empty()) << "a matching pass rule suppresses every alert";
  m.set_enabled(3, false);
  EXPECT_TRUE(m.judge(build_frame(s)).drop) << "pass rule disabled at run time";
  m.set_action(1, dejfa::Action::Alert);
  EXPECT_FALSE(m.judge(build_frame(s)).drop) << "drop rule turned into alert";
}

TEST_F(Verdicts, ProtocolsAndIcmp) {
  load(
      "alert icmp any any -> any any (itype:8; sid:1;)\n"
      "alert icmpv4 any any -> any any (sid:2;)\n"
      "alert icmpv6 any any -> any any (sid:3;)\n"
      "alert ip any any -> any any (ip_proto:58; sid:4;)\n"
      "alert tcp any any -> any any (sid:5;)\n");
  dejfa::RefModel m(rs);
  FrameSpec s;
  s.v6 = true;
  s.src = *dejfa::parse_ip("fe80::1");
  s.dst = *dejfa::parse_ip("fe80::2");
  s.proto = 58;
  s.icmp_type = 8;
  EXPECT_EQ(sids(m.judge(build_frame(s)).matched), (std::vector<std::uint32_t>{1, 3, 4}))
      << "icmp matches ICMPv6, as in Suricata";
  s = FrameSpec{};
  s.proto = 1;
  s.icmp_type = 0;
  EXPECT_EQ(sids(m.judge(build_frame(s)).matched), (std::vector<std::uint32_t>{2}));
}

TEST_F(Verdicts, FlagsTtlDsize) {
  load(
      "alert tcp any any -> any any (flags:S; sid:1;)\n"
      "alert tcp any any -> any any (flags:S+; sid:2;)\n"
      "alert tcp any any -> any any (flags:!SA; sid:3;)\n"
      "alert tcp any any -> any any (flags:*FR; sid:4;)\n"
      "alert tcp any any -> any any (flags:S,12; sid:5;)\n"
      "alert ip any any -> any any (ttl:<2; sid:6;)\n"
      "alert tcp any any -> any any (dsize:2<>4; sid:7;)\n"
      "alert tcp any any -> any any (dsize:0; sid:8;)\n");
  dejfa::RefModel m(rs);
  FrameSpec s;
  s.tcp_flags = 0x02 | 0xC0;  // SYN + ECE + CWR
  s.ttl = 1;
  s.payload = bytes("abc");
  EXPECT_EQ(sids(m.judge(build_frame(s)).matched), (std::vector<std::uint32_t>{2, 3, 5, 6, 7}));
  s.tcp_flags = 0x12;  // SYN+ACK
  s.ttl = 2;
  s.payload.clear();
  EXPECT_EQ(sids(m.judge(build_frame(s)).matched), (std::vector<std::uint32_t>{2, 8}));
}

TEST_F(Verdicts, FragmentsCarryNoPorts) {
  load(
      "alert ip any any -> any any (sid:1;)\n"
      "alert tcp any any -> any any (sid:2;)\n"
      "alert ip any any -> any 80 (sid:3;)\n"
      "alert ip any any -> any any (content:\"frag\"; sid:4;)\n");
  dejfa::RefModel m(rs);
  FrameSpec s;
  s.more_fragments = true;  // first fragment: TCP header present, but it is a fragment
  s.payload = bytes("frag");
  EXPECT_EQ(sids(m.judge(build_frame(s)).matched), (std::vector<std::uint32_t>{1, 2, 4}));
  s.frag_offset = 100;  // later fragment: IP payload only
  s.proto = 6;
  const auto v = m.judge(build_frame(s));
  EXPECT_EQ(sids(v.matched), (std::vector<std::uint32_t>{1, 4}));
}

TEST_F(Verdicts, ContentRulesNeedPayload) {
  load("alert tcp any any -> any any (content:!\"x\"; sid:1;)\n");
  dejfa::RefModel m(rs);
  FrameSpec s;
  EXPECT_TRUE(m.judge(build_frame(s)).matched.empty()) << "empty payload (Ethernet padding only)";
  s.payload = bytes("y");
  EXPECT_EQ(m.judge(build_frame(s)).matched.size(), 1U);
}

TEST_F(Verdicts, MalformedFollowsPolicyAndKeepsValidLayers) {
  load(
      "alert ip 10.0.0.1 any -> any any (sid:1;)\n"
      "alert tcp any any -> any any (sid:2;)\n");
  FrameSpec s;
  s.payload = bytes("hello");
  auto f = build_frame(s);
  f[14 + 20 + 12] = 0x30;  // TCP data offset 3 (< 5): malformed TCP header
  dejfa::RefModel m(rs);
  auto v = m.judge(f);
  EXPECT_EQ(v.malformed, Malformed::L4Header);
  EXPECT_EQ(sids(v.matched), (std::vector<std::uint32_t>{1}));
  EXPECT_FALSE(v.drop);
  m.set_policy(dejfa::Policy{true});
  EXPECT_TRUE(m.judge(f).drop);
}

// ---------------------------------------------------------------- decoder
TEST(Decode, VlanStacksAndPadding) {
  FrameSpec s;
  s.vlans = {100, 200};
  s.payload = bytes("ab");
  auto p = dejfa::decode(build_frame(s));
  EXPECT_EQ(p.malformed, Malformed::None);
  EXPECT_EQ(p.vlans, 2);
  EXPECT_EQ(p.payload_len, 2U) << "Ethernet padding is not payload";
  EXPECT_EQ(p.payload_off, 14U + 8U + 20U + 20U);
  s.vlans = {1, 2, 3};
  EXPECT_EQ(dejfa::decode(build_frame(s)).malformed, Malformed::Vlan);
}

TEST(Decode, Ipv4OptionsAndTruncation) {
  FrameSpec s;
  s.ip4_options = std::vector<std::uint8_t>(40, 1);  // NOPs, IHL 15
  s.tcp_options = std::vector<std::uint8_t>(40, 1);
  s.payload = bytes("data");
  auto f = build_frame(s);
  auto p = dejfa::decode(f);
  EXPECT_EQ(p.malformed, Malformed::None);
  EXPECT_EQ(p.payload_off, 14U + 60U + 60U) << "payload beyond the 128-byte header window is fine";
  EXPECT_EQ(p.payload_len, 4U);
  f.resize(f.size() - 1);
  EXPECT_EQ(dejfa::decode(f).malformed, Malformed::Ip4Length);
  EXPECT_EQ(dejfa::decode(std::span(f).first(13)).malformed, Malformed::Runt);
}

TEST(Decode, Ipv6ExtensionHeadersAndWindow) {
  FrameSpec s;
  s.v6 = true;
  s.src = *dejfa::parse_ip("2001:db8::1");
  s.dst = *dejfa::parse_ip("2001:db8::2");
  s.ip6_ext = {{0, 8}, {60, 8}};
  s.payload = bytes("xyz");
  auto p = dejfa::decode(build_frame(s));
  EXPECT_EQ(p.malformed, Malformed::None);
  EXPECT_EQ(p.proto, 6);
  EXPECT_EQ(p.dport, 80);
  EXPECT_EQ(p.payload_len, 3U);
  s.ip6_ext = {{0, 8}, {43, 8}, {60, 8}};
  EXPECT_EQ(dejfa::decode(build_frame(s)).malformed, Malformed::Ip6Ext) << "third header";
  s.ip6_ext = {{0, 40}, {60, 40}};  // TCP header at 134: beyond the window, IPv6 still valid
  p = dejfa::decode(build_frame(s));
  EXPECT_EQ(p.malformed, Malformed::HeaderWindow);
  EXPECT_TRUE(p.ip);
  EXPECT_EQ(p.l4, dejfa::Packet::L4::None);
  EXPECT_FALSE(p.payload_valid);
  s.ip6_ext = {{0, 72}, {60, 8}};  // second extension header at 126: the chain is cut
  p = dejfa::decode(build_frame(s));
  EXPECT_EQ(p.malformed, Malformed::HeaderWindow);
  EXPECT_FALSE(p.ip);
  s.ip6_ext = {{44, 8}};
  s.frag_offset = 10;
  p = dejfa::decode(build_frame(s));
  EXPECT_TRUE(p.later_fragment);
  EXPECT_EQ(p.l4, dejfa::Packet::L4::None);
}

TEST(Decode, NonIpIsNotMalformed) {
  std::vector<std::uint8_t> arp(60, 0);
  arp[12] = 0x08;
  arp[13] = 0x06;
  const auto p = dejfa::decode(arp);
  EXPECT_FALSE(p.ip);
  EXPECT_EQ(p.malformed, Malformed::None);
}

}  // namespace

namespace {

// Suricata's inspection_recursion_limit: a chain needing more steps does not match. Contents
// "a" then "b" within 1 of it backtrack over every "a"; with the "b" only after the last of
// many "a"s, the limit decides.
TEST(ContentLimit, RecursionLimitStopsBacktracking) {
  const auto r = dejfa::parse_rule_string(
      "alert tcp any any -> any any (content:\"a\"; content:\"b\"; distance:0; within:1; sid:1;)");
  ASSERT_EQ(r.set.rules.size(), 1U);
  const auto& cs = r.set.rules[0].contents;
  std::string payload(500, 'a');
  payload += "b";
  const auto buf = bytes(payload);
  EXPECT_TRUE(dejfa::content_match(cs, buf, 3000)) << "500 occurrences fit in 3000 steps";
  EXPECT_FALSE(dejfa::content_match(cs, buf, 100)) << "the limit makes the chain fail";
}

}  // namespace
