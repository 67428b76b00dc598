// SPDX-License-Identifier: Apache-2.0
//
// dejfa_hdr_check.svh: the check of a header group's record against a packet (docs/IMAGE.md
// 4.2), included in the body of each module that makes it: the header index's verify lanes
// (dejfa_hdr_verify) and, for issue #25, the lanes that check content candidates' groups
// (docs/ARCHITECTURE.md section 7, "Expansion and the header check"). One definition, so the two
// checks cannot drift apart. (A function of a package would be the usual home; Yosys 0.23 does
// not resolve dejfa_regs_pkg's parameters inside another package.) The record's layout is
// hw/dejfa_regs.toml's GROUP_REC.

/// One field: the bit of its complex set when the field is one (is_cset; the caller gives
/// the packet's class record's bit of that set), else whether c lies in one of the two
/// class-id ranges [lo0, hi0), [lo1, hi1) (port classes 17 bits; address classes, 16 in the
/// record, zero-extended: the same synthesis as a 16-bit compare, 31,280 LUT either way).
function automatic logic hdr_in_field(input logic is_cset, input logic set_bit,
                                      input logic [16:0] c, input logic [16:0] lo0,
                                      input logic [16:0] hi0, input logic [16:0] lo1,
                                      input logic [16:0] hi1);
  hdr_in_field = is_cset ? set_bit : (c >= lo0 && c < hi0) || (c >= lo1 && c < hi1);
endfunction

/// Whether record r's four fields (bit 0 source address, 1 destination address, 2 source port,
/// 3 destination port) hold the classes given for them: src, dst (address classes, 16 bits as
/// the record holds them), sport, dport (port classes, 17 bits), each with the complex-set bits
/// of its class record (64 each; a complex set's id is its field's first range's low 6 bits).
/// The reversed orientation of a `<>` group is the same call with source and destination
/// traded (classes and set bits).
function automatic logic [3:0] hdr_fields_in(input logic [dejfa_regs_pkg::GROUP_REC_W-1:0] r,
                                             input logic [15:0] src, input logic [15:0] dst,
                                             input logic [16:0] sport, input logic [16:0] dport,
                                             input logic [63:0] cs_src, input logic [63:0] cs_dst,
                                             input logic [63:0] cs_sport,
                                             input logic [63:0] cs_dport);
  hdr_fields_in[0] = hdr_in_field(r[dejfa_regs_pkg::GROUP_REC_SRC_CSET_LSB],
                                  cs_src[r[dejfa_regs_pkg::GROUP_REC_SRC_LO0_LSB +: 6]],
                                  17'(src),
                                  17'(r[dejfa_regs_pkg::GROUP_REC_SRC_LO0_LSB +: 16]),
                                  17'(r[dejfa_regs_pkg::GROUP_REC_SRC_HI0_LSB +: 16]),
                                  17'(r[dejfa_regs_pkg::GROUP_REC_SRC_LO1_LSB +: 16]),
                                  17'(r[dejfa_regs_pkg::GROUP_REC_SRC_HI1_LSB +: 16]));
  hdr_fields_in[1] = hdr_in_field(r[dejfa_regs_pkg::GROUP_REC_DST_CSET_LSB],
                                  cs_dst[r[dejfa_regs_pkg::GROUP_REC_DST_LO0_LSB +: 6]],
                                  17'(dst),
                                  17'(r[dejfa_regs_pkg::GROUP_REC_DST_LO0_LSB +: 16]),
                                  17'(r[dejfa_regs_pkg::GROUP_REC_DST_HI0_LSB +: 16]),
                                  17'(r[dejfa_regs_pkg::GROUP_REC_DST_LO1_LSB +: 16]),
                                  17'(r[dejfa_regs_pkg::GROUP_REC_DST_HI1_LSB +: 16]));
  hdr_fields_in[2] = hdr_in_field(r[dejfa_regs_pkg::GROUP_REC_SPORT_CSET_LSB],
                                  cs_sport[r[dejfa_regs_pkg::GROUP_REC_SPORT_LO0_LSB +: 6]],
                                  sport,
                                  r[dejfa_regs_pkg::GROUP_REC_SPORT_LO0_LSB +: 17],
                                  r[dejfa_regs_pkg::GROUP_REC_SPORT_HI0_LSB +: 17],
                                  r[dejfa_regs_pkg::GROUP_REC_SPORT_LO1_LSB +: 17],
                                  r[dejfa_regs_pkg::GROUP_REC_SPORT_HI1_LSB +: 17]);
  hdr_fields_in[3] = hdr_in_field(r[dejfa_regs_pkg::GROUP_REC_DPORT_CSET_LSB],
                                  cs_dport[r[dejfa_regs_pkg::GROUP_REC_DPORT_LO0_LSB +: 6]],
                                  dport,
                                  r[dejfa_regs_pkg::GROUP_REC_DPORT_LO0_LSB +: 17],
                                  r[dejfa_regs_pkg::GROUP_REC_DPORT_HI0_LSB +: 17],
                                  r[dejfa_regs_pkg::GROUP_REC_DPORT_LO1_LSB +: 17],
                                  r[dejfa_regs_pkg::GROUP_REC_DPORT_HI1_LSB +: 17]);
endfunction
