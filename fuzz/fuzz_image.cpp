// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: rule images (untrusted files given to `dejfa load`), decoded by a copy of
// the codec built without the CRC check so that mutations reach the checks behind it; images
// of format 3 are decoded as such (docs/IMAGE.md section 4). The loader
// must refuse or accept without crashing; an accepted image must re-encode to the same bytes and be
// safe to execute: the image model judges frames from it without any out-of-range access.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "dejfa/image_codec.hpp"
#include "dejfa/image_model.hpp"
#include "dejfa/pktbuild.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  dejfa::Image img;
  std::string err;
  const std::span<const std::uint8_t> bytes(data, size);
  // Format 3 (docs/IMAGE.md section 4) as well as the hardware's format.
  const std::uint32_t format = size > 8 && data[8] == 3 ? 3U : dejfa::hw::kImageFormat;
  if (!dejfa::decode_image(bytes, nullptr, img, err, format)) {
    if (err.empty()) __builtin_trap();  // a refusal always says why
    return 0;
  }
  // Accepted means canonical: the image re-encodes to its own bytes (the CRC field aside, which
  // this build does not check and encode() computes).
  auto again = dejfa::encode(img);
  if (again.size() != size) __builtin_trap();
  for (std::size_t i = 20; i < 24; ++i) again[i] = data[i];
  if (again != std::vector<std::uint8_t>(data, data + size)) __builtin_trap();
  dejfa::ImageModel m(img);
  static const auto frames = [] {
    std::vector<std::vector<std::uint8_t>> v;
    dejfa::FrameSpec s;
    s.payload = dejfa::bytes("GET / HTTP/1.1 abc");
    v.push_back(dejfa::build_frame(s));
    s.proto = 17;
    v.push_back(dejfa::build_frame(s));
    s.v6 = true;
    s.src = *dejfa::parse_ip("2001:db8::1");
    s.proto = 58;
    v.push_back(dejfa::build_frame(s));
    return v;
  }();
  for (const auto& f : frames) (void)m.judge(f);
  (void)dejfa::dump(img);
  return 0;
}
