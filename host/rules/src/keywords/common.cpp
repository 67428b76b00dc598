// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <charconv>

#include "dejfa/strutil.hpp"
#include "keyword.hpp"

namespace dejfa::kw {

Content* Ctx::last_content(std::string_view modifier) {
  if (rule.contents.empty()) {
    error = std::string(modifier) + " needs a preceding content";
    return nullptr;
  }
  return &rule.contents.back();
}

std::optional<std::uint32_t> parse_u32(std::string_view s) {
  std::uint32_t v = 0;
  const auto* end = s.data() + s.size();
  const auto r = std::from_chars(s.data(), end, v);
  if (s.empty() || r.ec != std::errc{} || r.ptr != end) return std::nullopt;
  return v;
}

std::optional<std::int32_t> parse_i32(std::string_view s) {
  std::int32_t v = 0;
  const auto* end = s.data() + s.size();
  const auto r = std::from_chars(s.data(), end, v);
  if (s.empty() || r.ec != std::errc{} || r.ptr != end) return std::nullopt;
  return v;
}

bool unquote(std::string_view in, std::string& out, std::string& err) {
  if (in.size() >= 2 && in.front() == '"' && in.back() == '"') {
    in = in.substr(1, in.size() - 2);
  } else if (!in.empty() && (in.front() == '"' || in.back() == '"')) {
    err = "unbalanced quotes";
    return false;
  }
  out.clear();
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '\\' && i + 1 < in.size()) {
      out += in[++i];
    } else {
      out += in[i];
    }
  }
  return true;
}

bool parse_uint_match(std::string_view s, std::uint32_t max, UintMatch& out, std::string& err) {
  s = trim(s);
  auto num = [&](std::string_view t, std::uint32_t& v) {
    const auto n = parse_u32(trim(t));
    if (!n) {
      err = "'" + std::string(trim(t)) + "' is not a number";
      return false;
    }
    if (*n > max) {
      err = std::to_string(*n) + " is out of range (max " + std::to_string(max) + ")";
      return false;
    }
    v = *n;
    return true;
  };
  out = UintMatch{};
  if (s.empty()) {
    err = "missing value";
    return false;
  }
  using M = UintMatch::Mode;
  if (s.starts_with("<=")) {
    out.mode = M::Le;
    return num(s.substr(2), out.a);
  }
  if (s.starts_with(">=")) {
    out.mode = M::Ge;
    return num(s.substr(2), out.a);
  }
  if (s.starts_with('<') && s.find("<>") == std::string_view::npos) {
    out.mode = M::Lt;
    return num(s.substr(1), out.a);
  }
  if (s.starts_with('>')) {
    out.mode = M::Gt;
    return num(s.substr(1), out.a);
  }
  if (s.starts_with('!')) {
    out.mode = M::Ne;
    return num(s.substr(1), out.a);
  }
  if (s.starts_with('=')) s.remove_prefix(1);
  std::size_t sep = s.find("<>");
  std::size_t seplen = 2;
  if (sep == std::string_view::npos) {
    sep = s.find('-');
    seplen = 1;
  }
  if (sep != std::string_view::npos) {
    out.mode = M::Range;
    if (!num(s.substr(0, sep), out.a) || !num(s.substr(sep + seplen), out.b)) return false;
    if (out.a >= out.b) {
      err = "range " + std::to_string(out.a) + "<>" + std::to_string(out.b) +
            " is empty (ranges exclude both ends; the first must be smaller)";
      return false;
    }
    return true;
  }
  out.mode = M::Eq;
  return num(s, out.a);
}

}  // namespace dejfa::kw
