// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

`include "dejfa_form.svh"

`include "dejfa_assert.svh"

/*
 * dejfa_matcher: the fast-literal prefilter (docs/HARDWARE.md "Matcher"). Taps the input stream
 * (never back-pressures) and, for every byte position of a frame that can lie in a payload
 * (frame offset >= 34), looks up the FP_KEY_MIN- to 4-byte strings starting there (ASCII case
 * folded) in the FP bucket table: a valid bucket whose tag agrees (or that holds several keys)
 * marks its group. FP_KEY_MIN is 1 at 10g and 4 at 100g, where 4 lookups per byte lane instead
 * of 1 would mark the groups with four times the logic (docs/HARDWARE.md "The 100g matcher's
 * marking"); the compiler then gives a rule whose longest content is shorter no fast key.
 * Strings are taken ending at each byte of a beat, with the previous beat's last three bytes
 * carried, so a key split across beats is found. The host model is dejfa::prefilter_seen().
 *
 * Built for block RAM: each key length has its own table (2,048 buckets for 4-byte keys, 256 for
 * each shorter length, both banks in one RAM), and each of the NK * KEEP_W lookups of a beat reads
 * a copy of its own through a registered read port; every copy has a dedicated write port, so
 * writes to the shadow bank never take a lookup's cycle. Pipeline: input register, hash + RAM
 * read, tag compare, group marking; m_valid pulses four cycles after a frame's last beat (the
 * core asserts it), m_seen holds the groups marked in that frame.
 */
module dejfa_matcher #(
  /// AXI4-Stream data width in bits
  parameter int unsigned DATA_W = 64,
  /// rule slots (groups are at most one per rule)
  parameter int unsigned RULES_N = 256,
  /// shortest key looked up, in bytes (1..4; the image's FP_KEY_MIN)
  parameter int unsigned FP_KEY_MIN = 1,
  /// 1: the simulation form (stages skipped in cycles without a beat), 0: the synthesis form
  /// (dejfa_form.svh)
  parameter int unsigned SIM_FORM = `DEJFA_SIM_FORM,
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

  localparam int unsigned EW = 18 + RI;  // entry: {valid, merged, tag[15:0], group}
  localparam int unsigned KMIN = FP_KEY_MIN;
  localparam int unsigned NK = 5 - KMIN;  // key lengths looked up per byte lane

  initial begin
    if (RULES_N < 64 || RULES_N != 1 << RI) $fatal(1, "dejfa_matcher: RULES_N must be a power of two >= 64 (%m)");
    if (KMIN < 1 || KMIN > 4) $fatal(1, "dejfa_matcher: FP_KEY_MIN must be 1..4 (%m)");
  end

  function automatic logic [7:0] fold(input logic [7:0] c);
    fold = (c >= 8'h41 && c <= 8'h5A) ? c + 8'h20 : c;
  endfunction

  // ---------------------------------------------------------------- stage 0: input register
  // Nothing stands between the port and the NK * KEEP_W-lane hash (and the Verilated model's input
  // region, evaluated on every eval(), stays small: docs/PERFORMANCE.md "Simulation profile").
  wire logic hs = s_axis_tvalid && s_axis_tready;
  logic              hs_q, last_q, bank_q;
  logic [KEEP_W-1:0] keep_q;
  logic [DATA_W-1:0] d_q;     // the registered beat
  logic [23:0]       prev_q;  // the beat before it: its last three bytes (oldest in bits 7:0)
  logic [15:0]       pos_q;   // frame offset of the registered beat's byte 0 (saturating)
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

  // e: the previous three bytes then this beat's bytes, folded; e[i + 3] is lane i
  logic [8*(KEEP_W+3)-1:0] e;
  always_comb begin
    for (int i = 0; i < 3; i++) e[8*i +: 8] = fold(prev_q[8*i +: 8]);
    for (int i = 0; i < KEEP_W; i++) e[24 + 8*i +: 8] = fold(d_q[8*i +: 8]);
  end

  // ---------------------------------------------------------------- stage 1: hash, table read
  // Table words (TABLES id FP): index 0..2047 the 4-byte buckets, 2048 + 256 * (k - 1) + b the
  // k-byte buckets (host/image/src/image_tables.cpp); the tables of keys shorter than KMIN are not built
  // and writes to them are dropped (the host writes none).
  wire logic [dejfa_regs_pkg::TBL_ID_W-1:0] wid = tbl_wr_addr[TW-1 -: dejfa_regs_pkg::TBL_ID_W];
  wire logic [11:0] widx = tbl_wr_addr[11:0];
  wire logic fp_we = tbl_wr_en && wid == dejfa_regs_pkg::TBL_FP;
  wire logic [EW-1:0] wdata = {tbl_wr_data[31:30], tbl_wr_data[27:12], tbl_wr_data[RI-1:0]};
  logic [3:0] we_len;  // table written, by key length - 1
  always_comb begin
    we_len = '0;
    if (fp_we) begin
      if (!widx[11]) we_len[3] = 1'b1;
      else if (widx[10:8] < 3'd3) we_len[widx[9:8]] = 1'b1;  // 2048 + 768 and above: unused
    end
  end

  // the bucket read for lookup NK * j + (k - KMIN), at bits EW * (NK * j + k - KMIN) (flat: Yosys
  // 0.23 parses no packed arrays of vectors)
  localparam int unsigned LN = NK * KEEP_W;  // lookups per beat
  logic [LN*EW-1:0] ent_q;
  for (genvar j = 0; j < KEEP_W; j++) begin : g_lane
    for (genvar k = KMIN; k <= 4; k++) begin : g_len
      localparam int unsigned BW = k == 4 ? 11 : 8;  // bucket index bits
      /* verilator lint_off UNUSEDSIGNAL */  // hashes keep only their low 11 or 8 bits
      logic [31:0] x, h;
      /* verilator lint_on UNUSEDSIGNAL */
      // the k-byte string ending at lane j, zero-extended (oldest byte in bits 7:0)
      always_comb begin
        x = 32'(e[8*(j + 4 - k) +: 8*k]);
        h = k == 4 ? x ^ (x >> 11) ^ (x >> 22) : x ^ (x >> 8) ^ (x >> 16);
      end
      logic [EW-1:0] mem [2 ** (BW + 1)];  // {bank, bucket}: one copy per lookup
      always_ff @(posedge clk) begin
        if (we_len[k-1]) mem[{tbl_wr_bank, widx[BW-1:0]}] <= wdata;
        // Simulation form: a cycle without a beat reads nothing (the entry is judged only with
        // its beat, two stages on, behind hs1_q and hs2_q).
        if (SIM_FORM == 0 || hs_q) ent_q[EW*(NK*j + k - KMIN) +: EW] <= mem[{bank_q, h[BW-1:0]}];
      end
    end
  end

  logic              hs1_q, last1_q;
  logic [KEEP_W-1:0] keep1_q;
  logic [15:0]       pos1_q;
  logic [8*(KEEP_W+3)-1:0] e1_q;  // the folded bytes again, for the tags
  always_ff @(posedge clk) begin
    hs1_q   <= hs_q && !rst;
    last1_q <= last_q;
    keep1_q <= keep_q;
    pos1_q  <= pos_q;
    e1_q    <= e;
  end

  // ---------------------------------------------------------------- stage 2: compare
  logic [LN-1:0]    hv;    // lookup l hit a bucket
  logic [LN*RI-1:0] hg;    // and marks this group (at bits RI * l)
  for (genvar j = 0; j < KEEP_W; j++) begin : g_cmp_lane
    for (genvar k = KMIN; k <= 4; k++) begin : g_cmp_len
      // the k-byte string ending at lane j starts at frame offset pos + j - k + 1
      logic [31:0] x;
      /* verilator lint_off UNUSEDSIGNAL */  // the tag keeps the hash's low 16 bits
      logic [31:0] t;
      /* verilator lint_on UNUSEDSIGNAL */
      logic [EW-1:0] ent;
      logic [17:0] start;
      always_comb begin
        x = 32'(e1_q[8*(j + 4 - k) +: 8*k]);
        t = x ^ (x >> 16) ^ (x >> 7);
        ent = ent_q[EW*(NK*j + k - KMIN) +: EW];
        start = 18'(pos1_q) + 18'(j) + 18'd1 - 18'(k);
        // simulation form: nothing is marked in a cycle without a beat (stage 3 reads hv_q only
        // behind hs2_q)
        hv[NK*j + k - KMIN] = (SIM_FORM == 0 || hs1_q) && keep1_q[j] && start >= 18'(PMIN) &&
                              ent[17+RI] && (ent[16+RI] || ent[RI +: 16] == t[15:0]);
        hg[RI*(NK*j + k - KMIN) +: RI] = ent[RI-1:0];
      end
    end
  end

  logic              hs2_q, last2_q;
  logic [LN-1:0]     hv_q;
  logic [LN*RI-1:0]  hg_q;
  always_ff @(posedge clk) begin
    hs2_q   <= hs1_q && !rst;
    last2_q <= last1_q;
    hv_q    <= hv;
    hg_q    <= hg;
  end

  // ---------------------------------------------------------------- stage 3: mark the groups
  // Groups in rows of 32: each hit ORs its 32-bit one-hot into the row its group lies in. Written
  // row by row so that synthesis sees a (log2 RULES_N - 5)-bit compare and a 32-bit one-hot per
  // lookup and row, and an OR over the lookups per group bit (about LN * RULES_N / 3 LUT6 in all),
  // not a RULES_N-wide shifter per lookup; the Verilated model walks the rows only for lookups that
  // hit. RULES_N is a power of two of at least 64.
  localparam int unsigned RW = RULES_N / 32;
  logic [RULES_N-1:0] hits;
  always_comb begin
    hits = '0;
    for (int l = 0; l < LN; l++) begin
      if (hv_q[l]) begin
        for (int a = 0; a < RW; a++) begin
          if (hg_q[RI*l + 5 +: RI-5] == (RI-5)'(a)) begin
            hits[32*a +: 32] = hits[32*a +: 32] | (32'd1 << hg_q[RI*l +: 5]);
          end
        end
      end
    end
  end

  logic [RULES_N-1:0] seen_q;
  always_ff @(posedge clk) begin
    if (hs_q) pos_q <= last_q ? '0 : (pos_q > 16'(65535 - KEEP_W) ? 16'hFFFF : pos_q + 16'(KEEP_W));
    m_valid <= hs2_q && last2_q && !rst;
    if (hs2_q && last2_q) m_seen <= seen_q | hits;
    if (hs2_q) seen_q <= last2_q ? '0 : seen_q | hits;
    if (rst) begin
      seen_q <= '0;
      pos_q  <= '0;
    end
  end
  // FP words carry reserved bits (29:28) and group bits above RULES_N's width; the write enables
  // of key lengths below KMIN have no table.
  wire logic unused_ok = ^{tbl_wr_data[29:28], tbl_wr_data[11:RI], we_len};
endmodule
