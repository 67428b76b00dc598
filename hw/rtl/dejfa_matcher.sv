// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

`include "dejfa_assert.svh"

/*
 * dejfa_matcher: the fast-literal prefilter (docs/HARDWARE.md "Matcher"). Taps the input stream
 * (never back-pressures) and, for every byte position of a frame that can lie in a payload
 * (frame offset >= 34), looks up the 1-, 2-, 3- and 4-byte strings starting there (ASCII case
 * folded) in the FP bucket table: a valid bucket whose tag agrees (or that holds several keys)
 * marks its group. Strings are taken ending at each byte of a beat, with the previous beat's last
 * three bytes carried, so a key split across beats is found. Two cycles after a frame's last beat
 * (an input register, then the lookups), m_seen holds the groups marked in that frame; the content engine inspects only the rules of
 * those groups (and rules without a fast key). The host model is dejfa::prefilter_seen().
 *
 * Lookups per beat: 4 per byte lane (4 * DATA_W / 8); the table is 2,816 32-bit words per bank.
 */
module dejfa_matcher #(
  /// AXI4-Stream data width in bits
  parameter int unsigned DATA_W = 64,
  /// rule slots (groups are at most one per rule)
  parameter int unsigned RULES_N = 256,
  /// tkeep width (derived)
  localparam int unsigned KEEP_W = DATA_W / 8,
  /// table word address width (derived)
  localparam int unsigned TW = dejfa_regs_pkg::TBL_ID_W + dejfa_regs_pkg::TBL_INDEX_W
) (
  /// datapath clock
  input  wire logic                clk,
  /// synchronous reset, active high
  input  wire logic                rst,

  /// table write (TABLES window): FP
  input  wire logic                tbl_wr_en,
  /// table word address {id, index}
  input  wire logic [TW-1:0]       tbl_wr_addr,
  /// table write data
  input  wire logic [31:0]         tbl_wr_data,
  /// bank written (the shadow)
  input  wire logic                tbl_wr_bank,

  /// observed stream data
  input  wire logic [DATA_W-1:0]   s_axis_tdata,
  /// observed stream byte enables (packed)
  input  wire logic [KEEP_W-1:0]   s_axis_tkeep,
  /// observed stream valid
  input  wire logic                s_axis_tvalid,
  /// observed stream ready
  input  wire logic                s_axis_tready,
  /// observed stream end of frame
  input  wire logic                s_axis_tlast,
  /// bank of the current frame (constant over its beats)
  input  wire logic                s_bank,

  /// one-cycle pulse after a frame's last beat
  output logic                     m_valid,
  /// groups marked in that frame
  output logic [RULES_N-1:0]       m_seen
);
  localparam int unsigned RI = $clog2(RULES_N);
  localparam int unsigned PMIN = 34;  // dejfa::fp::kPayloadMin
  localparam int unsigned NW = 2048 + 3 * 256;

  // ---------------------------------------------------------------- table (2 banks)
  logic [18+RI-1:0] fp_mem [2*4096];  // {valid, merged, tag[15:0], group}
  wire logic [dejfa_regs_pkg::TBL_ID_W-1:0] wid = tbl_wr_addr[TW-1 -: dejfa_regs_pkg::TBL_ID_W];
  wire logic [11:0] widx = tbl_wr_addr[11:0];
  always_ff @(posedge clk) begin
    if (tbl_wr_en && wid == dejfa_regs_pkg::TBL_FP && 32'(widx) < 32'(NW)) begin
      fp_mem[{tbl_wr_bank, widx}] <= {tbl_wr_data[31:30], tbl_wr_data[27:12], tbl_wr_data[RI-1:0]};
    end
  end

  // ---------------------------------------------------------------- lookups
  function automatic logic [7:0] fold(input logic [7:0] c);
    fold = (c >= 8'h41 && c <= 8'h5A) ? c + 8'h20 : c;
  endfunction

  // Input register: the lookups work on the previous cycle's beat, so no logic sits between the
  // port and the 4 * KEEP_W-lane hash and lookup tree (and the Verilated model's input region,
  // evaluated on every eval(), stays small: docs/PERFORMANCE.md "Simulation profile").
  wire logic hs = s_axis_tvalid && s_axis_tready;
  logic              hs_q, last_q, bank_q;
  logic [KEEP_W-1:0] keep_q;
  logic [DATA_W-1:0] d_q;     // the registered beat
  logic [23:0]       prev_q;  // the beat before it: its last three bytes (oldest in bits 7:0)
  always_ff @(posedge clk) begin
    hs_q <= hs && !rst;
    if (hs) begin
      last_q <= s_axis_tlast;
      keep_q <= s_axis_tkeep;
      bank_q <= s_bank;
      d_q    <= s_axis_tdata;
      prev_q <= d_q[DATA_W-24 +: 24];
    end
    if (rst) prev_q <= '0;
  end

  logic [15:0] pos_q;   // frame offset of the registered beat's byte 0 (saturating)

  // e: the previous three bytes then this beat's bytes, folded; e[i + 3] is lane i
  logic [8*(KEEP_W+3)-1:0] e;
  always_comb begin
    for (int i = 0; i < 3; i++) e[8*i +: 8] = fold(prev_q[8*i +: 8]);
    for (int i = 0; i < KEEP_W; i++) e[24 + 8*i +: 8] = fold(d_q[8*i +: 8]);
  end

  logic [RULES_N-1:0] hits;
  always_comb begin
    hits = '0;
    for (int j = 0; j < KEEP_W; j++) begin
      for (int k = 1; k <= 4; k++) begin
        // the k-byte string ending at lane j starts at frame offset pos + j - k + 1
        logic [31:0] x;
        /* verilator lint_off UNUSEDSIGNAL */  // hashes keep only their low 11, 8 or 16 bits
        logic [31:0] h;
        /* verilator lint_on UNUSEDSIGNAL */
        logic [11:0] idx;
        logic [18+RI-1:0] ent;
        logic [17:0] start;
        x = '0;
        for (int i = 0; i < 4; i++) if (i < k) x[8*i +: 8] = e[8*(j + 3 - k + 1 + i) +: 8];
        if (k == 4) begin
          h = x ^ (x >> 11) ^ (x >> 22);
          idx = {1'b0, h[10:0]};
        end else begin
          h = x ^ (x >> 8) ^ (x >> 16);
          idx = 12'd2048 + 12'(256 * (k - 1)) + {4'd0, h[7:0]};
        end
        ent = fp_mem[{bank_q, idx}];
        start = 18'(pos_q) + 18'(j) + 18'd1 - 18'(k);
        h = x ^ (x >> 16) ^ (x >> 7);  // tag
        if (keep_q[j] && start >= 18'(PMIN) && ent[17+RI] &&
            (ent[16+RI] || ent[RI +: 16] == h[15:0])) begin
          hits[ent[RI-1:0]] = 1'b1;
        end
      end
    end
  end

  logic [RULES_N-1:0] seen_q;
  always_ff @(posedge clk) begin
    m_valid <= hs_q && last_q && !rst;
    if (hs_q && last_q) m_seen <= seen_q | hits;
    if (hs_q) begin
      seen_q <= last_q ? '0 : seen_q | hits;
      pos_q  <= last_q ? '0 : (pos_q > 16'(65535 - KEEP_W) ? 16'hFFFF : pos_q + 16'(KEEP_W));
    end
    if (rst) begin
      seen_q <= '0;
      pos_q  <= '0;
    end
  end
  // FP words carry reserved bits (29:28) and group bits above RULES_N's width.
  wire logic unused_ok = ^{tbl_wr_data[29:28], tbl_wr_data[11:RI]};
endmodule
