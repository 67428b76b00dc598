// SPDX-License-Identifier: Apache-2.0
//
// Address and port variables: Suricata's defaults, NAME=VALUE overrides and a reader for the
// vars section of a suricata.yaml-shaped file.

#include <fstream>
#include <sstream>

#include "dejfa/fileio.hpp"
#include "dejfa/rules.hpp"

namespace dejfa {

Vars Vars::defaults() {
  Vars v;
  // suricata.yaml (Suricata 7) defaults.
  v.addr = {
      {"HOME_NET", "[192.168.0.0/16,10.0.0.0/8,172.16.0.0/12]"},
      {"EXTERNAL_NET", "!$HOME_NET"},
      {"HTTP_SERVERS", "$HOME_NET"},
      {"SMTP_SERVERS", "$HOME_NET"},
      {"SQL_SERVERS", "$HOME_NET"},
      {"DNS_SERVERS", "$HOME_NET"},
      {"TELNET_SERVERS", "$HOME_NET"},
      {"AIM_SERVERS", "$EXTERNAL_NET"},
      {"DC_SERVERS", "$HOME_NET"},
      {"DNP3_SERVER", "$HOME_NET"},
      {"DNP3_CLIENT", "$HOME_NET"},
      {"MODBUS_CLIENT", "$HOME_NET"},
      {"MODBUS_SERVER", "$HOME_NET"},
      {"ENIP_CLIENT", "$HOME_NET"},
      {"ENIP_SERVER", "$HOME_NET"},
  };
  v.port = {
      {"HTTP_PORTS", "80"},
      {"SHELLCODE_PORTS", "!80"},
      {"ORACLE_PORTS", "1521"},
      {"SSH_PORTS", "22"},
      {"DNP3_PORTS", "20000"},
      {"MODBUS_PORTS", "502"},
      {"FILE_DATA_PORTS", "[$HTTP_PORTS,110,143]"},
      {"FTP_PORTS", "21"},
      {"GENEVE_PORTS", "6081"},
      {"VXLAN_PORTS", "4789"},
      {"TEREDO_PORTS", "3544"},
  };
  return v;
}

namespace {
std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

bool valid_name(std::string_view n) {
  if (n.empty()) return false;
  for (char c : n) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string unquote_yaml(std::string_view v) {
  v = trim(v);
  if (v.size() >= 2 &&
      ((v.front() == '"' && v.back() == '"') || (v.front() == '\'' && v.back() == '\''))) {
    v = v.substr(1, v.size() - 2);
  }
  return std::string(v);
}
}  // namespace

bool Vars::set(std::string_view s, std::string& err) {
  const auto eq = s.find('=');
  if (eq == std::string_view::npos) {
    err = "expected NAME=VALUE, got '" + std::string(s) + "'";
    return false;
  }
  std::string_view name = trim(s.substr(0, eq));
  if (!name.empty() && name.front() == '$') name.remove_prefix(1);
  const std::string value(trim(s.substr(eq + 1)));
  if (!valid_name(name)) {
    err = "bad variable name '" + std::string(name) + "'";
    return false;
  }
  if (value.empty()) {
    err = "variable " + std::string(name) + " has an empty value";
    return false;
  }
  const bool is_port = port.contains(name) || name.ends_with("_PORTS") || name.ends_with("_PORT");
  (is_port ? port : addr).insert_or_assign(std::string(name), value);
  return true;
}

bool Vars::load_file(const std::string& path, Diags& diags) {
  std::string text, err;
  if (!read_file(path, kVarsFileMaxB, "vars file", text, err)) {
    diags.push_back(Diag{path, 0, 0, 0, Severity::Error, "io", err});
    return false;
  }
  std::istringstream f(text);
  // A YAML subset: "key:" opens a map at its indentation; "key: value" sets a scalar.
  // We track the path of keys and take vars.address-groups.* and vars.port-groups.*.
  std::vector<std::pair<std::size_t, std::string>> stack;  // (indent, key)
  std::string line;
  std::uint32_t lineno = 0;
  bool ok = true;
  std::size_t taken = 0;
  while (std::getline(f, line)) {
    ++lineno;
    std::string_view l = line;
    if (const auto hash = l.find(" #"); hash != std::string_view::npos) l = l.substr(0, hash);
    if (trim(l).empty() || trim(l).front() == '#' || trim(l) == "---" || trim(l) == "%YAML 1.1") {
      continue;
    }
    if (l.find('\t') != std::string_view::npos) {
      diags.push_back(Diag{path, lineno, static_cast<std::uint32_t>(l.find('\t') + 1), 0,
                           Severity::Error, "vars", "tabs are not allowed in YAML indentation"});
      ok = false;
      continue;
    }
    const std::size_t indent = l.find_first_not_of(' ');
    const std::string_view body = l.substr(indent);
    if (body.front() == '-') continue;  // sequences elsewhere in suricata.yaml: not ours
    const auto colon = body.find(':');
    if (colon == std::string_view::npos) {
      diags.push_back(Diag{path, lineno, static_cast<std::uint32_t>(indent + 1), 0, Severity::Error,
                           "vars", "expected 'key: value'"});
      ok = false;
      continue;
    }
    while (!stack.empty() && stack.back().first >= indent) stack.pop_back();
    const std::string key = unquote_yaml(body.substr(0, colon));
    const std::string value = unquote_yaml(body.substr(colon + 1));
    if (value.empty()) {
      stack.emplace_back(indent, key);
      continue;
    }
    if (stack.size() == 2 && stack[0].second == "vars" &&
        (stack[1].second == "address-groups" || stack[1].second == "port-groups")) {
      if (!valid_name(key)) {
        diags.push_back(Diag{path, lineno, static_cast<std::uint32_t>(indent + 1), 0,
                             Severity::Error, "vars", "bad variable name '" + key + "'"});
        ok = false;
        continue;
      }
      (stack[1].second == "port-groups" ? port : addr).insert_or_assign(key, value);
      ++taken;
    }
  }
  if (ok && taken == 0) {
    diags.push_back(Diag{path, 0, 0, 0, Severity::Warning, "vars",
                         "no vars.address-groups or vars.port-groups entries found"});
  }
  return ok;
}

}  // namespace dejfa
