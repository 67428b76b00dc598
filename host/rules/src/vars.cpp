// SPDX-License-Identifier: Apache-2.0
//
// Address and port variables: Suricata's defaults, NAME=VALUE overrides and a reader for the
// vars section of a suricata.yaml-shaped file.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <yaml.h>

#include "dejfa/fileio.hpp"
#include "dejfa/rules.hpp"
#include "dejfa/strutil.hpp"

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

bool valid_name(std::string_view n) {
  if (n.empty()) return false;
  for (char c : n) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
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

namespace {

// vars.address-groups / vars.port-groups of a suricata.yaml, read by libyaml (the parser
// Suricata itself uses), so flow style, quoting, anchors and aliases, merge keys (`<<`) and
// includes mean what they mean to Suricata. Includes: a top-level `include:` (a file or a list
// of files) and an `!include` tag on the vars node or a group node, resolved relative to the
// including file's folder, at most kIncludeDepth deep.
constexpr int kIncludeDepth = 8;

struct YamlReader {
  Vars& vars;
  Diags& diags;
  bool allow_include;
  std::size_t taken = 0;

  bool error(const std::string& file, const yaml_mark_t& m, const std::string& msg) {
    diags.push_back(Diag{file, static_cast<std::uint32_t>(m.line + 1),
                         static_cast<std::uint32_t>(m.column + 1), 0, Severity::Error, "vars",
                         msg});
    return false;
  }

  static std::string scalar(const yaml_node_t* n) {
    return {reinterpret_cast<const char*>(n->data.scalar.value), n->data.scalar.length};
  }
  static bool tagged_include(const yaml_node_t* n) {
    return n->tag != nullptr &&
           std::string_view(reinterpret_cast<const char*>(n->tag)) == "!include";
  }

  // The pairs of a mapping node, merge keys (`<<: *anchor` or a list of them) expanded first so
  // that the mapping's own keys override them, as YAML 1.1 says.
  std::vector<std::pair<yaml_node_t*, yaml_node_t*>> pairs(yaml_document_t& d, yaml_node_t* m,
                                                           int depth = 0) {
    std::vector<std::pair<yaml_node_t*, yaml_node_t*>> merged, own;
    if (depth > 16) return own;
    for (auto* p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; ++p) {
      yaml_node_t* k = yaml_document_get_node(&d, p->key);
      yaml_node_t* v = yaml_document_get_node(&d, p->value);
      if (k == nullptr || v == nullptr) continue;
      if (k->type == YAML_SCALAR_NODE && scalar(k) == "<<") {
        std::vector<yaml_node_t*> srcs;
        if (v->type == YAML_MAPPING_NODE) srcs.push_back(v);
        if (v->type == YAML_SEQUENCE_NODE) {
          for (auto* i = v->data.sequence.items.start; i < v->data.sequence.items.top; ++i) {
            yaml_node_t* n = yaml_document_get_node(&d, *i);
            if (n != nullptr && n->type == YAML_MAPPING_NODE) srcs.push_back(n);
          }
        }
        for (auto* src : srcs) {
          auto more = pairs(d, src, depth + 1);
          merged.insert(merged.end(), more.begin(), more.end());
        }
      } else {
        own.emplace_back(k, v);
      }
    }
    merged.insert(merged.end(), own.begin(), own.end());
    return merged;
  }

  // One group mapping (NAME: value).
  bool group(const std::string& file, yaml_document_t& d, yaml_node_t* g, bool ports, int depth) {
    if (tagged_include(g))
      return include(file, g, depth,
                     [&](yaml_document_t& d2, yaml_node_t* r, const std::string& f2) {
                       return group(f2, d2, r, ports, depth + 1);
                     });
    if (g->type != YAML_MAPPING_NODE) {
      return error(
          file, g->start_mark,
          std::string(ports ? "port" : "address") + "-groups is not a mapping of NAME: value");
    }
    bool ok = true;
    for (auto [k, v] : pairs(d, g)) {
      if (k->type != YAML_SCALAR_NODE || !valid_name(scalar(k))) {
        ok = error(file, k->start_mark,
                   "bad variable name" +
                       (k->type == YAML_SCALAR_NODE ? " '" + scalar(k) + "'" : std::string()));
        continue;
      }
      if (v->type != YAML_SCALAR_NODE || scalar(v).empty()) {
        ok = error(file, v->start_mark, "variable " + scalar(k) + " needs a value (a string)");
        continue;
      }
      (ports ? vars.port : vars.addr).insert_or_assign(scalar(k), scalar(v));
      ++taken;
    }
    return ok;
  }

  bool vars_node(const std::string& file, yaml_document_t& d, yaml_node_t* n, int depth) {
    if (tagged_include(n))
      return include(file, n, depth,
                     [&](yaml_document_t& d2, yaml_node_t* r, const std::string& f2) {
                       return vars_node(f2, d2, r, depth + 1);
                     });
    if (n->type != YAML_MAPPING_NODE) return error(file, n->start_mark, "vars is not a mapping");
    bool ok = true;
    for (auto [k, v] : pairs(d, n)) {
      if (k->type != YAML_SCALAR_NODE) continue;
      const std::string key = scalar(k);
      if (key == "address-groups" || key == "port-groups") {
        ok = group(file, d, v, key == "port-groups", depth) && ok;
      }
    }
    return ok;
  }

  template <class F>
  bool include(const std::string& from, yaml_node_t* n, int depth, F&& on_root) {
    if (!allow_include) return error(from, n->start_mark, "includes are not read here");
    if (n->type != YAML_SCALAR_NODE)
      return error(from, n->start_mark, "!include takes a file name");
    return load(resolve(from, scalar(n)), depth + 1, &n->start_mark, from, on_root);
  }

  static std::string resolve(const std::string& from, const std::string& name) {
    if (!name.empty() && name.front() == '/') return name;
    const auto slash = from.rfind('/');
    return slash == std::string::npos ? name : from.substr(0, slash + 1) + name;
  }

  // Parses `text` (named `file`) and hands its root node to `on_root`.
  template <class F>
  bool parse(const std::string& file, std::string_view text, F&& on_root) {
    yaml_parser_t p;
    yaml_document_t d;
    if (yaml_parser_initialize(&p) == 0)
      return error(file, yaml_mark_t{}, "libyaml: out of memory");
    yaml_parser_set_input_string(&p, reinterpret_cast<const unsigned char*>(text.data()),
                                 text.size());
    bool ok = yaml_parser_load(&p, &d) != 0;
    if (!ok) {
      error(file, p.problem_mark,
            std::string(p.problem != nullptr ? p.problem : "not YAML") +
                (p.context != nullptr ? std::string(" ") + p.context : std::string()));
      yaml_parser_delete(&p);
      return false;
    }
    yaml_node_t* root = yaml_document_get_root_node(&d);
    if (root != nullptr) ok = on_root(d, root, file);
    yaml_document_delete(&d);
    yaml_parser_delete(&p);
    return ok;
  }

  // Reads a file and parses it; `at`/`from` say where it was included from.
  template <class F>
  bool load(const std::string& file, int depth, const yaml_mark_t* at, const std::string& from,
            F&& on_root) {
    if (depth > kIncludeDepth) {
      return error(from, *at,
                   "includes nest more than " + std::to_string(kIncludeDepth) + " deep (a cycle?)");
    }
    std::string text, err;
    if (!read_file(file, kVarsFileMaxB, "vars file", text, err)) {
      diags.push_back(Diag{at != nullptr ? from : file,
                           at != nullptr ? static_cast<std::uint32_t>(at->line + 1) : 0,
                           at != nullptr ? static_cast<std::uint32_t>(at->column + 1) : 0, 0,
                           Severity::Error, "io", err});
      return false;
    }
    return parse(file, text, on_root);
  }

  // A whole suricata.yaml: top-level `include` and `vars`, in document order.
  bool top(const std::string& file, yaml_document_t& d, yaml_node_t* root, int depth) {
    if (root->type != YAML_MAPPING_NODE) return true;  // nothing of ours
    bool ok = true;
    for (auto [k, v] : pairs(d, root)) {
      if (k->type != YAML_SCALAR_NODE) continue;
      const std::string key = scalar(k);
      if (key == "vars") {
        ok = vars_node(file, d, v, depth) && ok;
      } else if (key == "include") {
        std::vector<yaml_node_t*> files;
        if (v->type == YAML_SEQUENCE_NODE) {
          for (auto* i = v->data.sequence.items.start; i < v->data.sequence.items.top; ++i) {
            if (yaml_node_t* n = yaml_document_get_node(&d, *i)) files.push_back(n);
          }
        } else {
          files.push_back(v);
        }
        for (yaml_node_t* f : files) {
          if (!allow_include) {
            ok = error(file, f->start_mark, "includes are not read here");
            continue;
          }
          if (f->type != YAML_SCALAR_NODE) {
            ok = error(file, f->start_mark, "include takes a file name");
            continue;
          }
          ok = load(resolve(file, scalar(f)), depth + 1, &f->start_mark, file,
                    [&](yaml_document_t& d2, yaml_node_t* r, const std::string& f2) {
                      return top(f2, d2, r, depth + 1);
                    }) &&
               ok;
        }
      }
    }
    return ok;
  }
};

}  // namespace

bool Vars::load_file(const std::string& path, Diags& diags) {
  YamlReader y{*this, diags, true};
  const bool ok = y.load(
      path, 0, nullptr, path,
      [&](yaml_document_t& d, yaml_node_t* r, const std::string& f) { return y.top(f, d, r, 0); });
  if (ok && y.taken == 0) {
    diags.push_back(Diag{path, 0, 0, 0, Severity::Warning, "vars",
                         "no vars.address-groups or vars.port-groups entries found"});
  }
  return ok;
}

bool Vars::load_text(std::string_view text, const std::string& name, Diags& diags) {
  YamlReader y{*this, diags, false};
  return y.parse(name, text, [&](yaml_document_t& d, yaml_node_t* r, const std::string& f) {
    return y.top(f, d, r, 0);
  });
}

}  // namespace dejfa
