// SPDX-License-Identifier: Apache-2.0
//
// Rule text -> IR. Handles comments, disabled rules, backslash continuations, and reports every
// problem with file:line:column and the sid where known. A rule with any problem is skipped.

#include <algorithm>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <utility>

#include "dejfa/fileio.hpp"
#include "dejfa/rules.hpp"
#include "dejfa/strutil.hpp"
#include "keywords/keyword.hpp"

namespace dejfa {

namespace {

/// A logical line (continuations joined) with a map back to physical positions.
struct Logical {
  std::string text;
  struct Seg {
    std::size_t off;  // offset in text where this physical line's content starts
    std::uint32_t line;
  };
  std::vector<Seg> segs;

  [[nodiscard]] std::pair<std::uint32_t, std::uint32_t> pos(std::size_t off) const {
    const Seg* s = segs.data();
    for (const auto& g : segs) {
      if (g.off <= off) s = &g;
    }
    return {s->line, static_cast<std::uint32_t>(off - s->off + 1)};
  }
};

std::vector<Logical> split_lines(std::string_view text) {
  std::vector<Logical> out;
  Logical cur;
  bool continuing = false;
  std::uint32_t lineno = 0;
  std::size_t i = 0;
  while (i <= text.size()) {
    if (i == text.size() && text.empty()) break;
    std::size_t nl = text.find('\n', i);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(i, nl - i);
    ++lineno;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!continuing) {
      cur = Logical{};
    }
    cur.segs.push_back({cur.text.size(), lineno});
    if (!line.empty() && line.back() == '\\') {
      cur.text += line.substr(0, line.size() - 1);
      continuing = true;
    } else {
      cur.text += line;
      continuing = false;
      out.push_back(std::move(cur));
      cur = Logical{};
    }
    if (nl == text.size()) break;
    i = nl + 1;
  }
  if (continuing) out.push_back(std::move(cur));
  return out;
}

/// Thrown inside one rule's parse; caught per rule.
struct RuleError {
  std::size_t off;  // offset in the logical line
  std::string category;
  std::string message;
};

class RuleParser {
 public:
  RuleParser(const Logical& l, const ParseOptions& o) : l_(l), opts_(o) {}

  Rule parse() {
    const std::string& t = l_.text;
    std::size_t i = 0;
    // Header: 7 tokens; [ ] may hold spaces.
    std::vector<std::pair<std::string_view, std::size_t>> toks;
    while (true) {
      while (i < t.size() && is_space(t[i])) ++i;
      if (i >= t.size() || t[i] == '(') break;
      const std::size_t start = i;
      int depth = 0;
      while (i < t.size() && (depth > 0 || (!is_space(t[i]) && t[i] != '('))) {
        if (t[i] == '[') ++depth;
        if (t[i] == ']') --depth;
        ++i;
      }
      toks.emplace_back(std::string_view(t).substr(start, i - start), start);
    }
    if (toks.size() != 7) {
      const std::size_t at = toks.size() > 7 ? toks[7].second : i;
      throw RuleError{at, "syntax",
                      "expected 'action proto src sport dir dst dport (options)', got " +
                          std::to_string(toks.size()) + " header fields"};
    }
    Rule r;
    parse_action(toks[0].first, toks[0].second, r);
    parse_proto(toks[1].first, toks[1].second, r);
    items_ = 0;
    r.src = *parse_addr(std::string(toks[2].first), toks[2].second, 0);
    r.sport = parse_ports(toks[3].first, toks[3].second);
    if (toks[4].first == "->") {
      r.bidirectional = false;
    } else if (toks[4].first == "<>") {
      r.bidirectional = true;
    } else {
      throw RuleError{toks[4].second, "syntax",
                      "direction must be -> or <>, not '" + std::string(toks[4].first) + "'"};
    }
    items_ = 0;
    r.dst = *parse_addr(std::string(toks[5].first), toks[5].second, 0);
    r.dport = parse_ports(toks[6].first, toks[6].second);
    // Ports on ip/icmp rules are legal, as in Suricata: they are checked on packets that have
    // ports (TCP, UDP) and make the rule miss every packet that has none.
    if (i >= t.size() || t[i] != '(')
      throw RuleError{i, "syntax", "missing '(' before the options"};
    // An unterminated quote swallows the closing ')': report the quote, where the cause is.
    std::size_t open_quote = std::string::npos;
    for (std::size_t k = i; k < t.size(); ++k) {
      if (t[k] == '\\') {
        ++k;
      } else if (t[k] == '"') {
        open_quote = open_quote == std::string::npos ? k : std::string::npos;
      }
    }
    if (open_quote != std::string::npos) {
      throw RuleError{open_quote, "syntax", "unterminated quoted string"};
    }
    std::size_t close = t.size();
    while (close > i && is_space(t[close - 1])) --close;
    if (close == i + 1 || t[close - 1] != ')') {
      throw RuleError{close, "syntax", "the options must end with ')'"};
    }
    parse_options(i + 1, close - 1, r);
    return r;
  }

  std::uint32_t sid_seen = 0;  // for diagnostics even when the rule fails

 private:
  static void parse_action(std::string_view s, std::size_t at, Rule& r) {
    if (s == "alert") {
      r.action = Action::Alert;
    } else if (s == "drop") {
      r.action = Action::Drop;
    } else if (s == "pass") {
      r.action = Action::Pass;
    } else if (s == "reject" || s == "rejectsrc" || s == "rejectdst" || s == "rejectboth") {
      r.action = Action::Reject;  // the hardware drops; no RST/ICMP is sent (docs/SEMANTICS.md)
    } else {
      throw RuleError{at, "syntax", "unknown action '" + std::string(s) + "'"};
    }
  }

  static void parse_proto(std::string_view sv, std::size_t at, Rule& r) {
    // Protocol names are case-insensitive in Suricata ("pass IP ...").
    std::string lower(sv);
    for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    const std::string_view s = lower;
    static const std::pair<std::string_view, Proto> kProtos[] = {
        {"ip", Proto::Ip},     {"pkthdr", Proto::Ip},    {"ipv4", Proto::Ip4},
        {"ip4", Proto::Ip4},   {"ipv6", Proto::Ip6},     {"ip6", Proto::Ip6},
        {"tcp", Proto::Tcp},   {"tcp-pkt", Proto::Tcp},  {"udp", Proto::Udp},
        {"icmp", Proto::Icmp}, {"icmpv4", Proto::Icmp4}, {"icmpv6", Proto::Icmp6},
    };
    for (const auto& [n, p] : kProtos) {
      if (s == n) {
        r.proto = p;
        return;
      }
    }
    static const std::set<std::string_view> kAppLayer = {"http",
                                                         "http1",
                                                         "http2",
                                                         "dns",
                                                         "tls",
                                                         "ssh",
                                                         "ftp",
                                                         "ftp-data",
                                                         "smtp",
                                                         "smb",
                                                         "dcerpc",
                                                         "nfs",
                                                         "ntp",
                                                         "dhcp",
                                                         "krb5",
                                                         "snmp",
                                                         "sip",
                                                         "rfb",
                                                         "mqtt",
                                                         "ike",
                                                         "modbus",
                                                         "dnp3",
                                                         "enip",
                                                         "tftp",
                                                         "ikev2",
                                                         "rdp",
                                                         "pgsql",
                                                         "telnet",
                                                         "imap",
                                                         "pop3",
                                                         "bittorrent-dht",
                                                         "quic",
                                                         "ldap",
                                                         "websocket",
                                                         "tcp-stream",
                                                         "sctp",
                                                         "ja3",
                                                         "ssl"};
    if (kAppLayer.contains(s)) {
      throw RuleError{at, "app-layer",
                      "protocol '" + std::string(s) +
                          "' needs an application-layer parser (not in "
                          "hardware); only ip, tcp, udp, icmp, icmpv6"};
    }
    throw RuleError{at, "syntax", "unknown protocol '" + std::string(s) + "'"};
  }

  // ---- addresses
  std::shared_ptr<const AddrExpr> parse_addr(const std::string& str, std::size_t at, int depth) {
    std::string_view s = str;
    if (depth > 16) throw RuleError{at, "variable", "variables nest too deeply (a cycle?)"};
    count_item(at);
    s = trim(s);
    auto e = std::make_shared<AddrExpr>();
    if (s.empty()) throw RuleError{at, "syntax", "empty address"};
    if (has_top_comma(s)) return parse_addr("[" + std::string(s) + "]", at, depth);
    if (s.front() == '!') {
      e->kind = AddrExpr::Kind::List;
      e->items.push_back({true, parse_addr(std::string(s.substr(1)), at + 1, depth + 1)});
      e->finalize();
      return e;
    }
    if (s.front() == '[') {
      if (s.back() != ']') throw RuleError{at, "syntax", "unbalanced '[' in address list"};
      e->kind = AddrExpr::Kind::List;
      for (const auto& [item, off] : split_list(s.substr(1, s.size() - 2), at + 1)) {
        std::string_view it = item;
        bool neg = false;
        if (!it.empty() && it.front() == '!') {
          neg = true;
          it.remove_prefix(1);
        }
        e->items.push_back({neg, parse_addr(std::string(it), off + (neg ? 1 : 0), depth + 1)});
      }
      if (e->items.empty()) throw RuleError{at, "syntax", "empty address list"};
      e->finalize();
      return e;
    }
    if (s.front() == '$') {
      const auto name = s.substr(1);
      const auto it = opts_.vars.addr.find(name);
      if (it == opts_.vars.addr.end()) {
        if (opts_.vars.port.contains(name)) {
          throw RuleError{at, "variable",
                          "$" + std::string(name) + " is a port variable, used as an address"};
        }
        throw RuleError{at, "variable", "undefined address variable $" + std::string(name)};
      }
      try {
        return parse_addr(it->second, at, depth + 1);
      } catch (RuleError& err) {
        err.off = at;
        err.message = "in $" + std::string(name) + " = \"" + it->second + "\": " + err.message;
        throw;
      }
    }
    if (s == "any") return e;  // Kind::Any
    const auto p = parse_prefix(s);
    if (!p) throw RuleError{at, "syntax", "bad address '" + std::string(s) + "'"};
    e->kind = AddrExpr::Kind::Prefix;
    e->prefix = *p;
    e->finalize();
    return e;
  }

  // A list written without brackets ("80,443", "!5800,!445"), which Suricata accepts.
  static bool has_top_comma(std::string_view s) {
    int depth = 0;
    for (char c : s) {
      if (c == '[') ++depth;
      if (c == ']') --depth;
      if (c == ',' && depth == 0) return true;
    }
    return false;
  }

  // Splits a list body at top-level commas.
  static std::vector<std::pair<std::string_view, std::size_t>> split_list(std::string_view s,
                                                                          std::size_t at) {
    std::vector<std::pair<std::string_view, std::size_t>> out;
    int depth = 0;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= s.size(); ++i) {
      if (i == s.size() || (s[i] == ',' && depth == 0)) {
        std::string_view item = s.substr(start, i - start);
        std::size_t lead = 0;
        while (lead < item.size() && is_space(item[lead])) ++lead;
        item = trim(item);
        if (!item.empty()) out.emplace_back(item, at + start + lead);
        start = i + 1;
      } else if (s[i] == '[') {
        ++depth;
      } else if (s[i] == ']') {
        --depth;
      }
    }
    return out;
  }

  // ---- ports
  PortSet parse_ports(std::string_view s, std::size_t at) {
    items_ = 0;
    PortSet r = port_expr(std::string(s), at, 0);
    if (r.empty()) throw RuleError{at, "syntax", "port set '" + std::string(s) + "' is empty"};
    return r;
  }

  PortSet port_expr(const std::string& str, std::size_t at, int depth) {
    std::string_view s = str;
    if (depth > 16) throw RuleError{at, "variable", "variables nest too deeply (a cycle?)"};
    count_item(at);
    s = trim(s);
    if (s.empty()) throw RuleError{at, "syntax", "empty port"};
    if (has_top_comma(s)) return port_expr("[" + std::string(s) + "]", at, depth);
    if (s.front() == '!')
      return PortSet::all().minus(port_expr(std::string(s.substr(1)), at + 1, depth + 1));
    if (s.front() == '[') {
      if (s.back() != ']') throw RuleError{at, "syntax", "unbalanced '[' in port list"};
      PortSet pos;
      PortSet neg;
      bool have_pos = false;
      for (const auto& [item, off] : split_list(s.substr(1, s.size() - 2), at + 1)) {
        if (item.front() == '!') {
          neg = neg.unite(port_expr(std::string(item.substr(1)), off + 1, depth + 1));
        } else {
          have_pos = true;
          pos = pos.unite(port_expr(std::string(item), off, depth + 1));
        }
      }
      if (!have_pos) pos = PortSet::all();
      return pos.minus(neg);
    }
    if (s.front() == '$') {
      const auto name = s.substr(1);
      const auto it = opts_.vars.port.find(name);
      if (it == opts_.vars.port.end()) {
        if (opts_.vars.addr.contains(name)) {
          throw RuleError{at, "variable",
                          "$" + std::string(name) + " is an address variable, used as a port"};
        }
        throw RuleError{at, "variable", "undefined port variable $" + std::string(name)};
      }
      try {
        return port_expr(it->second, at, depth + 1);
      } catch (RuleError& err) {
        err.off = at;
        err.message = "in $" + std::string(name) + " = \"" + it->second + "\": " + err.message;
        throw;
      }
    }
    if (s == "any") return PortSet::all();
    const auto colon = s.find(':');
    auto num = [&](std::string_view n, std::uint32_t dflt) -> std::uint16_t {
      if (n.empty()) return static_cast<std::uint16_t>(dflt);
      const auto v = kw::parse_u32(trim(n));
      if (!v || *v > 65535) throw RuleError{at, "syntax", "bad port '" + std::string(s) + "'"};
      return static_cast<std::uint16_t>(*v);
    };
    if (colon == std::string_view::npos) {
      const auto p = num(s, 0);
      return PortSet{{{p, p}}};
    }
    if (colon == 0 && s.size() == 1) throw RuleError{at, "syntax", "bad port range ':'"};
    const auto lo = num(s.substr(0, colon), 0);
    const auto hi = num(s.substr(colon + 1), 65535);
    if (lo > hi) throw RuleError{at, "syntax", "port range " + std::string(s) + " is reversed"};
    return PortSet{{{lo, hi}}};
  }

  // ---- options
  void parse_options(std::size_t begin, std::size_t end, Rule& r) {
    const std::string& t = l_.text;
    std::vector<std::pair<std::size_t, std::size_t>> opts;  // [start, end) of each option
    std::size_t start = begin;
    bool quoted = false;
    for (std::size_t i = begin; i < end; ++i) {
      const char c = t[i];
      if (c == '\\') {
        ++i;
        continue;
      }
      if (c == '"') quoted = !quoted;
      if (c == ';' && !quoted) {
        opts.emplace_back(start, i);
        start = i + 1;
      }
    }
    if (quoted) throw RuleError{start, "syntax", "unterminated quoted string in options"};
    if (!trim(std::string_view(t).substr(start, end - start)).empty()) {
      throw RuleError{start, "syntax", "the last option is not terminated by ';'"};
    }
    // First pass: find sid, so every later error can name it.
    for (const auto& [s, e] : opts) {
      auto [name, value, has_value, name_off, value_off] = split_opt(s, e);
      if (name == "sid" && has_value) {
        if (const auto v = kw::parse_u32(value)) sid_seen = *v;
      }
    }
    std::optional<RuleError> unsupported;
    for (const auto& [s, e] : opts) {
      auto [name, value, has_value, name_off, value_off] = split_opt(s, e);
      if (name.empty()) throw RuleError{s, "syntax", "empty option"};
      const kw::KeywordDef* def = kw::find(name);
      if (def == nullptr) {
        // Report the first unsupported keyword; later modifiers may refer to it (nocase after
        // uricontent), so stop applying keywords here.
        unsupported =
            RuleError{name_off, std::string(name),
                      "unsupported keyword '" + std::string(name) + "'" + unsupported_why(name)};
        break;
      }
      if (def->value == kw::KeywordDef::Value::Required && !has_value) {
        throw RuleError{name_off, "syntax", std::string(name) + " needs a value"};
      }
      if (def->value == kw::KeywordDef::Value::None && has_value) {
        throw RuleError{value_off, "syntax", std::string(name) + " takes no value"};
      }
      kw::Ctx ctx{r, value, has_value, {}};
      if (!def->apply(ctx)) throw RuleError{value_off, "syntax", ctx.error};
    }
    if (unsupported) throw *unsupported;
    if (r.sid == 0) throw RuleError{begin, "syntax", "the rule has no sid"};
  }

  static std::string unsupported_why(std::string_view name) {
    if (name == "pcre") return ": regular expressions are not matched in hardware";
    if (name == "flow" || name == "flowbits" || name == "flowint" || name == "xbits" ||
        name == "stream_size") {
      return ": dejfa judges each packet alone, without flow state";
    }
    if (name == "threshold" || name == "detection_filter") {
      return ": alert rate limiting needs per-flow or per-host state";
    }
    if (name.find('.') != std::string_view::npos || name.starts_with("http_") ||
        name.starts_with("dns") || name.starts_with("tls") || name.starts_with("ssl") ||
        name == "file_data" || name == "uricontent" || name == "app-layer-protocol") {
      return ": application-layer buffers need an application parser";
    }
    return "";
  }

  struct Opt {
    std::string_view name, value;
    bool has_value;
    std::size_t name_off, value_off;
  };
  [[nodiscard]] Opt split_opt(std::size_t s, std::size_t e) const {
    std::string_view o = std::string_view(l_.text).substr(s, e - s);
    std::size_t lead = 0;
    while (lead < o.size() && is_space(o[lead])) ++lead;
    const auto colon = o.find(':');
    Opt r{};
    r.name_off = s + lead;
    if (colon == std::string_view::npos) {
      r.name = trim(o);
      r.value_off = r.name_off;
      return r;
    }
    r.name = trim(o.substr(0, colon));
    std::size_t vlead = colon + 1;
    while (vlead < o.size() && is_space(o[vlead])) ++vlead;
    r.value = trim(o.substr(colon + 1));
    r.has_value = true;
    r.value_off = s + vlead;
    return r;
  }

  // Variables may use variables many times over (A = [$B,$B,...], B = [$C,$C,...]): depth is
  // capped above, and so is the fan-out, so that a vars file cannot make one field expand
  // exponentially (a hang, or memory exhausted).
  static constexpr std::size_t kItemsMax = 100'000;
  void count_item(std::size_t at) {
    if (++items_ > kItemsMax) {
      throw RuleError{at, "variable",
                      "the field expands to more than " + std::to_string(kItemsMax) +
                          " items (variables that use variables many times over)"};
    }
  }

  const Logical& l_;
  const ParseOptions& opts_;
  std::size_t items_ = 0;
};

bool is_disabled_rule(std::string_view s) {
  // "#alert ...", "# drop ...": a rule commented out, as rule managers write them.
  s.remove_prefix(1);
  while (!s.empty() && (s.front() == ' ' || s.front() == '#')) s.remove_prefix(1);
  for (std::string_view a :
       {"alert ", "drop ", "pass ", "reject ", "rejectsrc ", "rejectdst ", "rejectboth "}) {
    if (s.starts_with(a)) return s.find('(') != std::string_view::npos;
  }
  return false;
}

}  // namespace

void parse_rules(std::string_view text, std::string_view filename, const ParseOptions& opts,
                 LoadResult& out) {
  ++out.stats.files;
  for (const Logical& l : split_lines(text)) {
    const std::string_view t = trim(l.text);
    if (t.empty()) continue;
    if (t.front() == '#') {
      if (is_disabled_rule(t)) ++out.stats.disabled;
      continue;
    }
    ++out.stats.rules;
    if (const auto nul = l.text.find('\0'); nul != std::string::npos) {
      // A NUL byte is never part of a rule (and would truncate strings in the rule image).
      const auto [line, col] = l.pos(nul);
      ++out.stats.skipped;
      ++out.stats.skip_reasons["syntax"];
      out.diags.push_back(Diag{std::string(filename), line, col, 0, Severity::Error, "syntax",
                               "NUL byte in the rule text; rule skipped"});
      continue;
    }
    RuleParser p(l, opts);
    try {
      Rule r = p.parse();
      r.loc = SourceLoc{std::string(filename), l.segs.front().line};
      r.text = std::string(t);
      out.set.rules.push_back(std::move(r));
    } catch (const RuleError& e) {
      const auto [line, col] = l.pos(std::min(e.off, l.text.size()));
      ++out.stats.skipped;
      ++out.stats.skip_reasons[e.category];
      out.diags.push_back(Diag{std::string(filename), line, col, p.sid_seen, Severity::Error,
                               e.category, e.message + "; rule skipped"});
    }
  }
}

namespace {
void finish(LoadResult& out) {
  // Duplicate sid:gid: the first definition wins, later ones are errors.
  std::map<std::pair<std::uint32_t, std::uint32_t>, SourceLoc> seen;
  std::vector<Rule> kept;
  kept.reserve(out.set.rules.size());
  for (auto& r : out.set.rules) {
    const auto key = std::make_pair(r.gid, r.sid);
    if (const auto it = seen.find(key); it != seen.end()) {
      ++out.stats.skipped;
      ++out.stats.skip_reasons["duplicate sid"];
      out.diags.push_back(Diag{r.loc.file, r.loc.line, 1, r.sid, Severity::Error, "duplicate sid",
                               "duplicate sid:gid " + std::to_string(r.sid) + ":" +
                                   std::to_string(r.gid) + " (first defined at " + it->second.file +
                                   ":" + std::to_string(it->second.line) + "); rule skipped"});
      continue;
    }
    seen[key] = r.loc;
    kept.push_back(std::move(r));
  }
  out.set.rules = std::move(kept);
  out.stats.loaded = out.set.rules.size();
}
}  // namespace

LoadResult load_rule_files(const std::vector<std::string>& paths, const ParseOptions& opts) {
  LoadResult out;
  for (const auto& p : paths) {
    std::string text, err;
    if (!read_file(p, kRuleFileMaxB, "rule file", text, err)) {
      out.diags.push_back(Diag{p, 0, 0, 0, Severity::Error, "io", err});
      ++out.stats.skip_reasons["io"];
      continue;
    }
    parse_rules(text, p, opts, out);
  }
  finish(out);
  return out;
}

LoadResult parse_rule_string(std::string_view rule, const ParseOptions& opts) {
  LoadResult out;
  parse_rules(rule, "<rule>", opts, out);
  finish(out);
  return out;
}

std::string LoadStats::summary() const {
  std::string s = std::to_string(loaded) + " rules loaded, " + std::to_string(skipped) + " skipped";
  if (!skip_reasons.empty()) {
    std::vector<std::pair<std::size_t, std::string>> v;
    for (const auto& [k, n] : skip_reasons) v.emplace_back(n, k);
    std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    s += ":";
    for (std::size_t i = 0; i < v.size(); ++i) {
      s += (i == 0 ? " " : ", ") + std::to_string(v[i].first) + " " + v[i].second;
    }
  }
  s += "; " + std::to_string(disabled) + " disabled (commented out)";
  s += " in " + std::to_string(files) + (files == 1 ? " file" : " files");
  return s;
}

}  // namespace dejfa
