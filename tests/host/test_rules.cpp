// SPDX-License-Identifier: Apache-2.0
//
// Rule parser tables in libpcap's style: accept (rule -> canonical dump) and reject (rule ->
// error category, column and message text).

#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "dejfa/rules.hpp"
#include "dejfa/strutil.hpp"

namespace {

using dejfa::parse_rule_string;

struct Accept {
  const char* rule;
  const char* dump;
};

class AcceptTest : public ::testing::TestWithParam<Accept> {};

TEST_P(AcceptTest, ParsesToDump) {
  const auto& [rule, dump] = GetParam();
  const auto r = parse_rule_string(rule);
  ASSERT_EQ(r.set.rules.size(), 1U) << (r.diags.empty() ? "" : r.diags[0].str());
  EXPECT_EQ(dejfa::describe(r.set.rules[0]), dump);
  EXPECT_TRUE(r.diags.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Rules, AcceptTest,
    ::testing::Values(
        Accept{R"(alert tcp any any -> any 80 (msg:"x"; sid:1;))",
               "alert tcp any any -> any 80 sid:1:1:0"},
        Accept{R"(drop udp 10.0.0.0/8 [53,5353] <> !192.168.1.1 any (sid:2; rev:3; gid:7;))",
               "drop udp 10.0.0.0/8 [53,5353] <> [!192.168.1.1] any sid:7:2:3"},
        Accept{R"(alert tcp any [1024:,!8080] -> any :1023 (sid:3;))",
               "alert tcp any [1024:8079,8081:65535] -> any 0:1023 sid:1:3:0"},
        Accept{R"(alert tcp any !80 -> any ![80,443] (sid:4;))",
               "alert tcp any [0:79,81:65535] -> any [0:79,81:442,444:65535] sid:1:4:0"},
        Accept{
            R"(alert ip [10.0.0.0/8,![10.1.0.0/16,!10.1.2.0/24]] any -> 2001:db8::/32 any (sid:5;))",
            "alert ip [10.0.0.0/8,![10.1.0.0/16,!10.1.2.0/24]] any -> 2001:db8::/32 any "
            "sid:1:5:0"},
        Accept{R"(alert tcp $HOME_NET any -> $EXTERNAL_NET $HTTP_PORTS (sid:6;))",
               "alert tcp [192.168.0.0/16,10.0.0.0/8,172.16.0.0/12] any -> "
               "[![192.168.0.0/16,10.0.0.0/8,172.16.0.0/12]] 80 sid:1:6:0"},
        Accept{
            R"(alert tcp any any -> any any (content:"GET |20 2F|"; nocase; offset:0; depth:6; sid:7;))",
            "alert tcp any any -> any any sid:1:7:0 content:\"GET  /\",nocase,offset 0,depth 6"},
        Accept{
            R"(alert tcp any any -> any any (content:"a\;b\"c\\d"; content:!"x"; distance:-3; within:10; sid:8;))",
            "alert tcp any any -> any any sid:1:8:0 content:\"a|3B|b|22|c|5C|d\" "
            "content:!\"x\",distance -3,within 10"},
        Accept{
            R"(alert tcp any any -> any any (content:"|00 01 ff|abc|0a|"; fast_pattern; sid:9;))",
            "alert tcp any any -> any any sid:1:9:0 content:\"|00 01 FF|abc|0A|\",fast_pattern"},
        Accept{R"(alert tcp any any -> any any (flags:S,12; dsize:>100; ttl:<5; sid:10;))",
               "alert tcp any any -> any any sid:1:10:0 dsize:>100 flags:S,EC ttl:<5"},
        Accept{R"(alert tcp any any -> any any (flags:!FA; dsize:10<>20; sid:11;))",
               "alert tcp any any -> any any sid:1:11:0 dsize:10<>20 flags:!FA"},
        Accept{R"(alert tcp any any -> any any (flags:*SR; dsize:!0; ttl:3-9; sid:12;))",
               "alert tcp any any -> any any sid:1:12:0 dsize:!0 flags:*SR ttl:3<>9"},
        Accept{R"(alert icmp any any -> any any (itype:8; icode:>=0; sid:13;))",
               "alert icmp any any -> any any sid:1:13:0 itype:8 icode:>=0"},
        Accept{R"(alert ip any any -> any any (ip_proto:!tcp; sid:14;))",
               "alert ip any any -> any any sid:1:14:0 ip_proto:!6"},
        Accept{R"(reject tcp any any -> any any (flags:A+; sid:15;))",
               "reject tcp any any -> any any sid:1:15:0 flags:+A"},
        Accept{R"(pass ip 1.2.3.4/255.255.0.0 any -> any any (sid:16;))",
               "pass ip 1.2.0.0/16 any -> any any sid:1:16:0"},
        Accept{R"(alert ip any $SHELLCODE_PORTS -> any any (sid:17;))",
               "alert ip any [0:79,81:65535] -> any any sid:1:17:0"},
        Accept{"alert tcp any any -> \\\n  any any (msg:\"continued\"; \\\n sid:18;)",
               "alert tcp any any -> any any sid:1:18:0"},
        Accept{R"(alert tcp any !5800,!445 -> any 80,443 (sid:19;))",
               "alert tcp any [0:444,446:5799,5801:65535] -> any [80,443] sid:1:19:0"}),
    [](const auto& i) { return "rule" + std::to_string(i.index); });

struct Reject {
  const char* rule;
  const char* category;
  unsigned col;
  const char* message;  // substring
};

class RejectTest : public ::testing::TestWithParam<Reject> {};

TEST_P(RejectTest, ReportsWhereAndWhy) {
  const auto& [rule, category, col, message] = GetParam();
  const auto r = parse_rule_string(rule);
  EXPECT_TRUE(r.set.rules.empty());
  ASSERT_EQ(r.diags.size(), 1U);
  const auto& d = r.diags[0];
  EXPECT_EQ(d.category, category) << d.str();
  EXPECT_EQ(d.line, 1U);
  EXPECT_EQ(d.col, col) << d.str();
  EXPECT_NE(d.message.find(message), std::string::npos) << d.str();
  EXPECT_EQ(r.stats.skipped, 1U);
}

INSTANTIATE_TEST_SUITE_P(
    Rules, RejectTest,
    ::testing::Values(
        Reject{R"(alert tcp any any -> any any (pcre:"/x/"; sid:1;))", "pcre", 31,
               "unsupported keyword 'pcre'"},
        Reject{R"(alert tcp any any -> any any (flow:established; content:"x"; sid:1;))", "flow",
               31, "without flow state"},
        Reject{R"(alert http any any -> any any (sid:1;))", "app-layer", 7, "application-layer"},
        Reject{R"(alert tcp any any -> any any (content:"abc"; within:2; sid:1;))", "syntax", 53,
               "within: 2 is shorter than the content"},
        Reject{R"(alert tcp any any -> any any (content:"abc"; depth:2; sid:1;))", "syntax", 52,
               "depth: 2 is shorter than the content"},
        Reject{R"(alert tcp any any -> any any (content:"abc"; offset:70000; sid:1;))", "syntax",
               53, "beyond 65535"},
        Reject{R"(alert tcp any any -> any any (content:"abc"; offset:1; distance:2; sid:1;))",
               "syntax", 65, "can't be mixed"},
        Reject{R"(alert tcp any any -> any any (nocase; sid:1;))", "syntax", 31,
               "needs a preceding content"},
        Reject{R"(alert tcp any any -> any any (content:"|4|"; sid:1;))", "syntax", 39,
               "odd number of hex digits"},
        Reject{R"(alert tcp any any -> any any (content:"abc",depth 5; sid:1;))", "syntax", 39,
               "Snort 3"},
        Reject{R"(alert tcp any any -> any any (msg:"no sid";))", "syntax", 31, "no sid"},
        Reject{R"(alert tcp $NOPE any -> any any (sid:1;))", "variable", 11,
               "undefined address variable $NOPE"},
        Reject{R"(alert tcp any $HOME_NET -> any any (sid:1;))", "variable", 15,
               "is an address variable, used as a port"},
        Reject{R"(alert tcp 10.0.0.300 any -> any any (sid:1;))", "syntax", 11, "bad address"},
        Reject{R"(alert tcp any 80:70 -> any any (sid:1;))", "syntax", 15, "reversed"},
        Reject{R"(alert tcp any !any -> any any (sid:1;))", "syntax", 15, "empty"},
        Reject{R"(alert tcp any any => any any (sid:1;))", "syntax", 19, "direction"},
        Reject{R"(alert tcp any any -> any any (sid:1; dsize:5<>5;))", "syntax", 44,
               "range 5<>5 is empty"},
        Reject{R"(alert tcp any any -> any any (flags:SX; sid:1;))", "syntax", 37,
               "unknown flag 'X'"},
        Reject{R"(alert tcp any any -> any any (sid:1; msg:"x")", "syntax", 45,
               "must end with ')'"},
        Reject{R"(alert tcp any any -> any any (sid:1; msg:"x)", "syntax", 42, "unterminated"},
        Reject{R"(frobnicate tcp any any -> any any (sid:1;))", "syntax", 1, "unknown action"}),
    [](const auto& i) { return "rule" + std::to_string(i.index); });

TEST(RuleFile, CommentsDisabledBlankLinesAndSummary) {
  const char* text =
      "# a comment\n"
      "\n"
      "#alert tcp any any -> any any (sid:100;)\n"
      "# drop udp any any -> any any (sid:101;)\n"
      "alert tcp any any -> any any (sid:1;)\n"
      "alert tcp any any -> any any (pcre:\"/a/\"; sid:2;)\n"
      "alert tcp any any -> any any (flowbits:set,x; sid:3;)\n"
      "alert tcp any any -> any any (sid:1;)\n";
  dejfa::LoadResult r;
  dejfa::parse_rules(text, "t.rules", {}, r);
  EXPECT_EQ(r.stats.rules, 4U);
  EXPECT_EQ(r.stats.disabled, 2U);
  EXPECT_EQ(r.stats.skipped, 2U);
  ASSERT_EQ(r.diags.size(), 2U);
  EXPECT_EQ(r.diags[0].str(),
            "t.rules:6:31: error: [sid 2] unsupported keyword 'pcre': regular expressions are not "
            "matched in hardware; rule skipped");
  EXPECT_EQ(r.diags[1].line, 7U);
}

TEST(RuleFile, DuplicateSidGidIsAnError) {
  const auto r = parse_rule_string(
      "alert tcp any any -> any any (sid:5;)\nalert udp any any -> any any (sid:5;)\n"
      "alert udp any any -> any any (sid:5; gid:2;)\n");
  EXPECT_EQ(r.set.rules.size(), 2U);
  ASSERT_EQ(r.diags.size(), 1U);
  EXPECT_EQ(r.diags[0].category, "duplicate sid");
  EXPECT_EQ(r.diags[0].line, 2U);
  EXPECT_NE(r.diags[0].message.find("first defined at <rule>:1"), std::string::npos);
  EXPECT_EQ(r.stats.summary(),
            "2 rules loaded, 1 skipped: 1 duplicate sid; 0 disabled (commented out) in 1 file");
}

// One whitespace set for every reader (dejfa/strutil.hpp), and one action-name parser for the
// CLI's `rule action` and `--tune` scripts: a value with a CR (a CRLF file), a tab or a form
// feed reads as without it.
TEST(Strings, TrimAndActionNames) {
  EXPECT_EQ(dejfa::trim(" \t\r\n x y \v\f\r\n"), "x y");
  EXPECT_EQ(dejfa::trim(" \t\r\n"), "");
  dejfa::ParseOptions o;
  std::string err;
  ASSERT_TRUE(o.vars.set("HOME_NET = [10.0.0.0/8]\r", err)) << err;
  const auto r = parse_rule_string(
      "alert tcp $HOME_NET any -> any 80 (content:\"x\"; depth:\f4\v; sid:1;)", o);
  ASSERT_EQ(r.set.rules.size(), 1U) << (r.diags.empty() ? "" : r.diags[0].str());
  EXPECT_EQ(dejfa::describe(r.set.rules[0]).substr(0, 30), "alert tcp [10.0.0.0/8] any -> ");
  for (const auto a :
       {dejfa::Action::Alert, dejfa::Action::Reject, dejfa::Action::Drop, dejfa::Action::Pass}) {
    dejfa::Action b = dejfa::Action::Alert;
    EXPECT_TRUE(dejfa::action_from_name(dejfa::action_name(a), b));
    EXPECT_EQ(b, a);
  }
  dejfa::Action b = dejfa::Action::Pass;
  EXPECT_FALSE(dejfa::action_from_name("Drop", b));
  EXPECT_FALSE(dejfa::action_from_name("block", b));
  EXPECT_EQ(b, dejfa::Action::Pass);
}

TEST(Vars, CommandLineOverridesAndCycles) {
  dejfa::ParseOptions o;
  std::string err;
  ASSERT_TRUE(o.vars.set("HOME_NET=[10.0.0.0/8]", err));
  ASSERT_TRUE(o.vars.set("MY_PORTS=[1,2]", err));
  EXPECT_FALSE(o.vars.set("NOEQUALS", err));
  auto r = parse_rule_string("alert tcp $HOME_NET $MY_PORTS -> $EXTERNAL_NET any (sid:1;)", o);
  ASSERT_EQ(r.set.rules.size(), 1U);
  EXPECT_EQ(dejfa::describe(r.set.rules[0]),
            "alert tcp [10.0.0.0/8] 1:2 -> [![10.0.0.0/8]] any sid:1:1:0");
  ASSERT_TRUE(o.vars.set("A_NET=$B_NET", err));
  ASSERT_TRUE(o.vars.set("B_NET=$A_NET", err));
  r = parse_rule_string("alert tcp $A_NET any -> any any (sid:1;)", o);
  ASSERT_EQ(r.diags.size(), 1U);
  EXPECT_NE(r.diags[0].message.find("nest too deeply"), std::string::npos);
}

}  // namespace

namespace {
// Variables that use variables many times over: 6 levels of twenty copies each (inside the
// depth cap) would be 64 million items. The fan-out is capped like the depth, with a located error,
// in well under a second.
TEST(Vars, FanOutIsCapped) {
  for (const char* kind : {"NET", "PORTS"}) {
    dejfa::ParseOptions o;
    std::string err;
    const bool net = std::string(kind) == "NET";
    ASSERT_TRUE(o.vars.set(std::string("V0_") + kind + (net ? "=10.0.0.0/8" : "=80"), err));
    for (int i = 1; i <= 6; ++i) {
      std::string v = "V" + std::to_string(i) + "_" + kind + "=[";
      for (int k = 0; k < 20; ++k) {
        v += (k != 0 ? ",$V" : "$V") + std::to_string(i - 1) + "_" + kind;
      }
      ASSERT_TRUE(o.vars.set(v + "]", err)) << err;
    }
    const std::string top = std::string("$V6_") + kind;
    const auto r = parse_rule_string(net ? "alert tcp " + top + " any -> any any (sid:1;)"
                                         : "alert tcp any " + top + " -> any any (sid:1;)",
                                     o);
    ASSERT_EQ(r.diags.size(), 1U) << kind;
    EXPECT_NE(r.diags[0].message.find("expands to more than 100000 items"), std::string::npos)
        << r.diags[0].message;
    EXPECT_EQ(r.diags[0].col, net ? 11U : 15U);
  }
}

TEST(RuleFile, NulByteIsALocatedError) {
  const std::string text =
      std::string("alert ip any any -> any any (msg:\"a") + '\0' + "b\"; sid:1;)";
  const auto r = dejfa::parse_rule_string(text);
  EXPECT_TRUE(r.set.rules.empty());
  ASSERT_EQ(r.diags.size(), 1U);
  EXPECT_EQ(r.diags[0].col, 36U);
  EXPECT_NE(r.diags[0].message.find("NUL byte"), std::string::npos);
}
}  // namespace

namespace {

std::string write_tmp(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path) << text;
  return path;
}

TEST(VarsFile, ReadsAddressAndPortGroups) {
  const auto path = write_tmp("vars_ok.yaml",
                              "%YAML 1.1\n---\n# comment\nvars:\n  address-groups:\n"
                              "    HOME_NET: \"[10.9.0.0/16]\"\n    DMZ_NET: '192.0.2.0/24'\n"
                              "  port-groups:\n    HTTP_PORTS: \"[80,8080]\"\n"
                              "outputs:\n  - eve-log:\n      enabled: yes\n");
  dejfa::ParseOptions o;
  dejfa::Diags d;
  ASSERT_TRUE(o.vars.load_file(path, d));
  EXPECT_TRUE(d.empty());
  EXPECT_EQ(o.vars.addr.at("HOME_NET"), "[10.9.0.0/16]");
  EXPECT_EQ(o.vars.addr.at("DMZ_NET"), "192.0.2.0/24");
  EXPECT_EQ(o.vars.port.at("HTTP_PORTS"), "[80,8080]");
  const auto r = dejfa::parse_rule_string("alert tcp $DMZ_NET any -> any $HTTP_PORTS (sid:1;)", o);
  ASSERT_EQ(r.set.rules.size(), 1U);
  EXPECT_EQ(dejfa::describe(r.set.rules[0]),
            "alert tcp 192.0.2.0/24 any -> any [80,8080] sid:1:1:0");
}

TEST(VarsFile, ErrorsAreLocated) {
  // libyaml stops at a tab in the indentation, and says where.
  const auto path =
      write_tmp("vars_bad.yaml", "vars:\n  address-groups:\n\tHOME_NET: x\n    oops\n");
  dejfa::ParseOptions o;
  dejfa::Diags d;
  EXPECT_FALSE(o.vars.load_file(path, d));
  ASSERT_EQ(d.size(), 1U);
  EXPECT_EQ(d[0].line, 3U);
  EXPECT_EQ(d[0].category, "vars");
  EXPECT_FALSE(d[0].message.empty());
  // A variable that is not a string, and a bad name, are located errors too.
  const auto path2 = write_tmp("vars_bad2.yaml",
                               "vars:\n  address-groups:\n    HOME_NET: [a, b]\n    \"B@D\": x\n");
  dejfa::Diags d1;
  EXPECT_FALSE(o.vars.load_file(path2, d1));
  ASSERT_EQ(d1.size(), 2U);
  EXPECT_EQ(d1[0].line, 3U);
  EXPECT_EQ(d1[0].col, 15U);
  EXPECT_NE(d1[1].message.find("bad variable name 'B@D'"), std::string::npos);
  dejfa::Diags d2;
  EXPECT_FALSE(o.vars.load_file(::testing::TempDir() + "no_such.yaml", d2));
  ASSERT_EQ(d2.size(), 1U);
  EXPECT_EQ(d2[0].category, "io");
}

// What the line-based reader misread or ignored (a misread HOME_NET silently changes what
// matches): flow style, anchors and aliases, merge keys, includes and !include.
TEST(VarsFile, YamlAsSuricataReadsIt) {
  write_tmp("vars_extra.yaml", "vars:\n  address-groups:\n    EXTRA_NET: 198.51.100.0/24\n");
  write_tmp("vars_ports.yaml", "FTP_PORTS: \"2121\"\n");
  const auto path = write_tmp(
      "vars_main.yaml",
      "%YAML 1.1\n---\ninclude: vars_extra.yaml\n"
      "vars:\n"
      "  address-groups: {HOME_NET: \"[10.9.0.0/16]\", DMZ_NET: &dmz '192.0.2.0/24', WEB_NET: "
      "*dmz}\n"
      "  port-groups:\n"
      "    <<: {SSH_PORTS: 2222, HTTP_PORTS: \"81\"}\n"
      "    HTTP_PORTS: \"[80,8080]\"  # the mapping's own key wins over the merged one\n");
  dejfa::ParseOptions o;
  dejfa::Diags d;
  ASSERT_TRUE(o.vars.load_file(path, d)) << (d.empty() ? "" : d[0].str());
  EXPECT_TRUE(d.empty()) << d[0].str();
  EXPECT_EQ(o.vars.addr.at("HOME_NET"), "[10.9.0.0/16]");
  EXPECT_EQ(o.vars.addr.at("DMZ_NET"), "192.0.2.0/24");
  EXPECT_EQ(o.vars.addr.at("WEB_NET"), "192.0.2.0/24");
  EXPECT_EQ(o.vars.addr.at("EXTRA_NET"), "198.51.100.0/24");
  EXPECT_EQ(o.vars.port.at("SSH_PORTS"), "2222");
  EXPECT_EQ(o.vars.port.at("HTTP_PORTS"), "[80,8080]");
  // !include on a group; an include cycle is refused with its place.
  const auto tagged =
      write_tmp("vars_tagged.yaml", "vars:\n  port-groups: !include vars_ports.yaml\n");
  ASSERT_TRUE(o.vars.load_file(tagged, d));
  EXPECT_EQ(o.vars.port.at("FTP_PORTS"), "2121");
  const auto loop = write_tmp("vars_loop.yaml", "include: vars_loop.yaml\n");
  dejfa::Diags dl;
  EXPECT_FALSE(o.vars.load_file(loop, dl));
  ASSERT_FALSE(dl.empty());
  EXPECT_NE(dl.back().message.find("includes nest more than 8 deep"), std::string::npos);
  EXPECT_EQ(dl.back().line, 1U);
}

}  // namespace
