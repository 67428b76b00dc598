// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: frames. The decoder never reads outside the frame, and the reference model
// and the image model (the hardware's tables) give the same verdict and matched rules.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "dejfa/image_compile.hpp"
#include "dejfa/image_model.hpp"
#include "dejfa/refmodel.hpp"
#include "dejfa/rules.hpp"

namespace {
const char* kRules =
    "alert tcp any any -> any 80 (content:\"GET \"; depth:4; content:\"abc\"; distance:0; sid:1;)\n"
    "drop udp any any <> 10.0.0.0/8 53 (dsize:>20; sid:2;)\n"
    "alert icmp any any -> any any (itype:8; sid:3;)\n"
    "pass ip 192.168.0.0/16 any -> any any (ttl:<3; sid:4;)\n"
    "alert tcp any any -> any any (flags:S,12; sid:5;)\n"
    "alert ip any any -> any any (content:\"|00 01|\"; content:!\"zz\"; distance:-5; within:9; "
    "sid:6;)\n"
    "alert ip [!10.1.0.0/16,2001:db8::/32] any -> $EXTERNAL_NET any (ip_proto:!6; sid:7;)\n";

struct State {
  dejfa::RuleSet rs;
  dejfa::Image img;
  std::vector<std::uint32_t> rule_of_id;  // the image's rule ids (format 3) -> rule indices
  State() {
    rs = dejfa::parse_rule_string(kRules).set;
    auto res = dejfa::compile(rs, dejfa::hw::kConfigs[0]);
    img = std::move(res.image);
    rule_of_id.assign(img.rules.size(), ~0U);
    for (std::size_t r = 0; r < res.id_of_rule.size(); ++r) {
      rule_of_id.at(res.id_of_rule[r]) = static_cast<std::uint32_t>(r);
    }
  }
  [[nodiscard]] std::vector<std::uint32_t> rules(std::vector<std::uint32_t> ids) const {
    for (auto& id : ids) id = rule_of_id.at(id);
    std::sort(ids.begin(), ids.end());
    return ids;
  }
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const State st;
  static const dejfa::RefModel ref(st.rs);
  static const dejfa::ImageModel im(st.img);
  // A private copy, so ASan sees reads past the frame's end.
  const std::vector<std::uint8_t> frame(data, data + size);
  const auto a = ref.judge(frame);
  const auto b = im.judge(frame);
  if (a.matched != st.rules(b.matched) || a.alerted != st.rules(b.alerted) || a.drop != b.drop ||
      a.malformed != b.malformed) {
    __builtin_trap();
  }
  return 0;
}
