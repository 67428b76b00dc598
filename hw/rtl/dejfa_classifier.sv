// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

`include "dejfa_form.svh"

/*
 * dejfa_classifier: header classifier. For each frame descriptor, finds the class of every
 * header field (address prefixes, port and payload-size boundaries, protocol/ttl/flags/icmp
 * maps), reads each class's row of rule bits and ANDs them (docs/IMAGE.md section 1):
 *   fwd = SRC_A[ca_s] & DST_A[ca_d] & SPORT[cp_s] & DPORT[cp_d]
 *   rev = SRC_A[ca_d] & DST_A[ca_s] & SPORT[cp_d] & DPORT[cp_s] & BIDIR
 *   match = ip & (fwd | rev) & PROTO & TTL & TCPF & ITYPE & ICODE & DSIZE
 * Tables are double-banked: writes go to the bank named by tbl_wr_bank, each descriptor is
 * classified with the bank it carries, so a frame never sees a mix of two rule sets.
 *
 * Throughput: one descriptor per cycle. Latency: 4 cycles from s_hdr_valid to m_cls_valid.
 */
module dejfa_classifier #(
  /// rule slots (a multiple of 32)
  parameter int unsigned RULES_N = 256,
  /// 1: the simulation form (stages skipped in cycles without a header), 0: the synthesis form
  /// (dejfa_form.svh)
  parameter int unsigned SIM_FORM = `DEJFA_SIM_FORM,
  /// address prefix entries
  parameter int unsigned ADDR_N = 64,
  /// port boundaries
  parameter int unsigned PORTB_N = 62,
  /// payload-size boundaries
  parameter int unsigned DSIZEB_N = 32,
  /// classes per small field
  parameter int unsigned CLS_N = 32,
  /// words per row (derived)
  localparam int unsigned RW = RULES_N / 32,
  /// table word-address width (derived from the map)
  localparam int unsigned TW = dejfa_regs_pkg::TBL_ID_W + dejfa_regs_pkg::TBL_INDEX_W
) (
  /// datapath clock
  input  wire logic                clk,
  /// synchronous active-high reset
  input  wire logic                rst,

  /// table write strobe (from the TABLES window)
  input  wire logic                tbl_wr_en,
  /// table word address {table id, index}
  input  wire logic [TW-1:0]       tbl_wr_addr,
  /// table write data
  input  wire logic [31:0]         tbl_wr_data,
  /// bank the write goes to (the shadow bank)
  input  wire logic                tbl_wr_bank,

  /// descriptor valid (one cycle per frame)
  input  wire logic                s_hdr_valid,
  /// bank this frame is classified with
  input  wire logic                s_hdr_bank,
  /// IP header decoded
  input  wire logic                s_hdr_ip,
  /// IPv6
  input  wire logic                s_hdr_v6,
  /// source address
  input  wire logic [127:0]        s_hdr_src,
  /// destination address
  input  wire logic [127:0]        s_hdr_dst,
  /// IP protocol
  input  wire logic [7:0]          s_hdr_proto,
  /// TTL / hop limit
  input  wire logic [7:0]          s_hdr_ttl,
  /// any fragment
  input  wire logic                s_hdr_frag,
  /// L4 kind: 0 none, 1 TCP, 2 UDP, 3 ICMP, 4 ICMPv6
  input  wire logic [2:0]          s_hdr_l4,
  /// source port
  input  wire logic [15:0]         s_hdr_sport,
  /// destination port
  input  wire logic [15:0]         s_hdr_dport,
  /// TCP flags
  input  wire logic [7:0]          s_hdr_tcp_flags,
  /// ICMP type
  input  wire logic [7:0]          s_hdr_icmp_type,
  /// ICMP code
  input  wire logic [7:0]          s_hdr_icmp_code,
  /// payload length known
  input  wire logic                s_hdr_payload_valid,
  /// payload length
  input  wire logic [15:0]         s_hdr_payload_len,

  /// result valid (one cycle per descriptor, in order)
  output logic                     m_cls_valid,
  /// header match of every rule slot
  output logic [RULES_N-1:0]       m_cls_match
);

  localparam int unsigned PC = PORTB_N + 2;   // port classes (0 = no ports)
  localparam int unsigned DC = DSIZEB_N + 2;  // payload-size classes (0 = unknown)
  localparam int unsigned AW_A = $clog2(ADDR_N);
  localparam int unsigned AW_P = $clog2(PC);
  localparam int unsigned AW_D = $clog2(DC);
  localparam int unsigned AW_C = $clog2(CLS_N);
  localparam int unsigned AW_PB = $clog2(PORTB_N);   // port boundary index
  localparam int unsigned AW_DB = $clog2(DSIZEB_N);  // payload-size boundary index
  localparam int unsigned PB_P2 = PORTB_N > 2 ? 1 << $clog2(PORTB_N) : 2;    // boundaries padded to
  localparam int unsigned DB_P2 = DSIZEB_N > 2 ? 1 << $clog2(DSIZEB_N) : 2;  // a power of two
  localparam int unsigned LW = $clog2(RW) > 0 ? $clog2(RW) : 1;

  initial begin
    if (RULES_N % 32 != 0) $fatal(1, "dejfa_classifier: RULES_N must be a multiple of 32 (%m)");
    if (RW * PC > (1 << dejfa_regs_pkg::TBL_INDEX_W) || RW * ADDR_N > (1 << dejfa_regs_pkg::TBL_INDEX_W)) begin
      $fatal(1, "dejfa_classifier: a row table exceeds its table window (%m)");
    end
    if (ADDR_N != 1 << AW_A) $fatal(1, "dejfa_classifier: ADDR_N must be a power of two (dejfa_first_set) (%m)");
  end

  // ---------------------------------------------------------------- storage (2 banks)
  // The prefix and boundary tables are compared entry by entry in parallel (every entry is read
  // in every cycle): registers, not RAM. Without the attribute Yosys maps them to LUTRAM with a
  // copy per read port (the first whole-core synthesis: ~122 K LUTs, docs/HARDWARE.md).
  (* ram_style = "logic" *) logic [128:0] pfx_key_q  [2*ADDR_N];  // {v6, address}
  (* ram_style = "logic" *) logic [128:0] pfx_mask_q [2*ADDR_N];  // top `len` key bits set
  (* ram_style = "logic" *) logic         pfx_ok_q   [2*ADDR_N];
  (* ram_style = "logic" *) logic [16:0]  pb_q       [2 << AW_PB]; // {valid, bound}
  (* ram_style = "logic" *) logic [16:0]  db_q       [2 << AW_DB];
  (* ram_style = "logic" *) logic [RULES_N-1:0] bidir_q [2];  // written bit by bit
  logic [AW_C-1:0]     proto_map  [2*4096];
  logic [AW_C-1:0]     ttl_map    [2*256];
  logic [AW_C-1:0]     tcpf_map   [2*512];
  logic [AW_C-1:0]     ity_map    [2*512];
  logic [AW_C-1:0]     ico_map    [2*512];

  // ---------------------------------------------------------------- table writes
  wire logic [dejfa_regs_pkg::TBL_ID_W-1:0]    wid = tbl_wr_addr[TW-1 -: dejfa_regs_pkg::TBL_ID_W];
  wire logic [dejfa_regs_pkg::TBL_INDEX_W-1:0] widx = tbl_wr_addr[dejfa_regs_pkg::TBL_INDEX_W-1:0];
  wire logic [dejfa_regs_pkg::TBL_INDEX_W-1:0] wrow = widx >> LW;  // row of a row table
  wire logic [LW-1:0]  wlane = RW > 1 ? widx[LW-1:0] : '0;          // 32-bit lane in the row
  wire logic [31:0]    wrow32 = 32'(wrow);
  wire logic [31:0]    widx32 = 32'(widx);
  wire logic [8:0]     pe = widx[11:3];                             // prefix entry
  wire logic [2:0]     pw = widx[2:0];                              // prefix word
  wire logic           b = tbl_wr_bank;

  // Map writes (the row tables are written in stage 2, below).
  always_ff @(posedge clk) begin
    if (tbl_wr_en) begin
      if (wid == dejfa_regs_pkg::TBL_PROTO_MAP) proto_map[{b, widx}] <= tbl_wr_data[AW_C-1:0];
      if (wid == dejfa_regs_pkg::TBL_TTL_MAP && widx32 < 32'd256) ttl_map[{b, widx[7:0]}] <= tbl_wr_data[AW_C-1:0];
      if (wid == dejfa_regs_pkg::TBL_TCPF_MAP && widx32 < 32'd512) tcpf_map[{b, widx[8:0]}] <= tbl_wr_data[AW_C-1:0];
      if (wid == dejfa_regs_pkg::TBL_ITYPE_MAP && widx32 < 32'd512) ity_map[{b, widx[8:0]}] <= tbl_wr_data[AW_C-1:0];
      if (wid == dejfa_regs_pkg::TBL_ICODE_MAP && widx32 < 32'd512) ico_map[{b, widx[8:0]}] <= tbl_wr_data[AW_C-1:0];
    end
  end

  // Registers: prefixes (masks derived at write time), bounds, rule flags.
  always_ff @(posedge clk) begin
    if (tbl_wr_en) begin
      if (wid == dejfa_regs_pkg::TBL_ADDR_PREFIX && 32'(pe) < 32'(ADDR_N)) begin
        if (pw < 3'd4) begin
          pfx_key_q[{b, pe[AW_A-1:0]}][{1'b0, pw[1:0], 5'd0} +: 32] <= tbl_wr_data;
        end else if (pw == 3'd4) begin
          pfx_key_q[{b, pe[AW_A-1:0]}][128] <= tbl_wr_data[8];
          pfx_ok_q[{b, pe[AW_A-1:0]}]       <= tbl_wr_data[16];
          // mask: the top `len` bits of the 129-bit key
          pfx_mask_q[{b, pe[AW_A-1:0]}]     <= ~(129'h1_FFFF_FFFF_FFFF_FFFF_FFFF_FFFF_FFFF_FFFF >> tbl_wr_data[7:0]);
        end
      end
      if (wid == dejfa_regs_pkg::TBL_PORT_BOUNDS && widx32 < 32'(PORTB_N)) begin
        pb_q[{b, widx[AW_PB-1:0]}] <= tbl_wr_data[16:0];
      end
      if (wid == dejfa_regs_pkg::TBL_DSIZE_BOUNDS && widx32 < 32'(DSIZEB_N)) begin
        db_q[{b, widx[AW_DB-1:0]}] <= tbl_wr_data[16:0];
      end
      if (wid == dejfa_regs_pkg::TBL_RULE_FLAGS && widx32 < 32'(RULES_N)) begin
        bidir_q[b][widx[$clog2(RULES_N)-1:0]] <= tbl_wr_data[dejfa_regs_pkg::RF_BIDIR_LSB];
      end
    end
  end

  // ---------------------------------------------------------------- stage 1: classes
  // Written as trees (log depth), not as the serial "first found" / "count up" loops the
  // first synthesis run showed as a 268-LUT path (docs/HARDWARE.md, classifier).

  // Prefix table: first (highest-priority) valid entry containing the key (the priority is a
  // tree: dejfa_first_set).
  function automatic logic [ADDR_N-1:0] addr_hits(input logic bank, input logic [128:0] key);
    for (int e = 0; e < ADDR_N; e++) begin
      addr_hits[e] = pfx_ok_q[{bank, AW_A'(e)}] &&
                     ((key ^ pfx_key_q[{bank, AW_A'(e)}]) & pfx_mask_q[{bank, AW_A'(e)}]) == '0;
    end
  endfunction
  // Simulation form: the stages work only on a valid header (each stage's result is read only
  // behind its valid bit); the synthesis form computes them in every cycle, as the hardware does.
  wire logic s0_go = SIM_FORM == 0 || s_hdr_valid;
  logic [ADDR_N-1:0] hit_src, hit_dst;
  always_comb begin
    hit_src = '0;
    hit_dst = '0;
    if (s0_go) begin
      hit_src = addr_hits(s_hdr_bank, {s_hdr_v6, s_hdr_src});
      hit_dst = addr_hits(s_hdr_bank, {s_hdr_v6, s_hdr_dst});
    end
  end
  logic [AW_A-1:0] ca_src, ca_dst;
  /* verilator lint_off PINCONNECTEMPTY */  // no entry: class 0, as the index of an empty vector
  dejfa_first_set #(.N(ADDR_N)) u_ca_src (.v(hit_src), .any(), .idx(ca_src));
  dejfa_first_set #(.N(ADDR_N)) u_ca_dst (.v(hit_dst), .any(), .idx(ca_dst));
  /* verilator lint_on PINCONNECTEMPTY */

  // Port and payload-size classes: 1 + the number of valid boundaries <= v (count: dejfa_ones,
  // over the boundaries padded to a power of two).
  function automatic logic [PB_P2-1:0] port_le(input logic bank, input logic [15:0] v);
    port_le = '0;
    for (int e = 0; e < PORTB_N; e++) begin
      port_le[e] = pb_q[{bank, AW_PB'(e)}][16] && pb_q[{bank, AW_PB'(e)}][15:0] <= v;
    end
  endfunction

  function automatic logic [DB_P2-1:0] dsize_le(input logic bank, input logic [15:0] v);
    dsize_le = '0;
    for (int e = 0; e < DSIZEB_N; e++) begin
      dsize_le[e] = db_q[{bank, AW_DB'(e)}][16] && db_q[{bank, AW_DB'(e)}][15:0] <= v;
    end
  endfunction

  logic [$clog2(PB_P2):0] n_sp, n_dp;
  logic [$clog2(DB_P2):0] n_ds;
  logic [PB_P2-1:0] le_sp, le_dp;
  logic [DB_P2-1:0] le_ds;
  always_comb begin
    le_sp = '0;
    le_dp = '0;
    le_ds = '0;
    if (s0_go) begin
      le_sp = port_le(s_hdr_bank, s_hdr_sport);
      le_dp = port_le(s_hdr_bank, s_hdr_dport);
      le_ds = dsize_le(s_hdr_bank, s_hdr_payload_len);
    end
  end
  dejfa_ones #(.N(PB_P2)) u_n_sp (.v(le_sp), .cnt(n_sp));
  dejfa_ones #(.N(PB_P2)) u_n_dp (.v(le_dp), .cnt(n_dp));
  dejfa_ones #(.N(DB_P2)) u_n_ds (.v(le_ds), .cnt(n_ds));

  wire logic ports = (s_hdr_l4 == 3'd1 || s_hdr_l4 == 3'd2) && !s_hdr_frag;
  wire logic tcp = s_hdr_l4 == 3'd1;
  wire logic icmp = s_hdr_l4 == 3'd3 || s_hdr_l4 == 3'd4;

  logic              s1_valid_q, s1_bank_q, s1_ip_q;
  logic [AW_A-1:0]   s1_ca_s_q, s1_ca_d_q;
  logic [AW_P-1:0]   s1_cp_s_q, s1_cp_d_q;
  logic [AW_D-1:0]   s1_cd_q;
  logic [AW_C-1:0]   s1_c_proto_q, s1_c_ttl_q, s1_c_tcpf_q, s1_c_ity_q, s1_c_ico_q;

  always_ff @(posedge clk) begin
    s1_valid_q   <= s_hdr_valid;
    s1_bank_q    <= s_hdr_bank;
    s1_ip_q      <= s_hdr_ip;
    s1_ca_s_q    <= ca_src;
    s1_ca_d_q    <= ca_dst;
    s1_cp_s_q    <= ports ? AW_P'(n_sp + 1'b1) : '0;
    s1_cp_d_q    <= ports ? AW_P'(n_dp + 1'b1) : '0;
    s1_cd_q      <= s_hdr_payload_valid ? AW_D'(n_ds + 1'b1) : '0;
    s1_c_proto_q <= proto_map[{s_hdr_bank, s_hdr_v6, s_hdr_l4, s_hdr_proto}];
    s1_c_ttl_q   <= ttl_map[{s_hdr_bank, s_hdr_ttl}];
    s1_c_tcpf_q  <= tcpf_map[{s_hdr_bank, tcp, s_hdr_tcp_flags}];
    s1_c_ity_q   <= ity_map[{s_hdr_bank, icmp, s_hdr_icmp_type}];
    s1_c_ico_q   <= ico_map[{s_hdr_bank, icmp, s_hdr_icmp_code}];
    if (rst) s1_valid_q <= 1'b0;
  end

  // ---------------------------------------------------------------- stage 2: row reads
  // Each row table is RW RAMs of one 32-bit lane each (a table write is one lane of one row),
  // each with a registered read per class looked up. As one RAM per table, written through a
  // variable part-select, every bit had its own write enable and Yosys gave every bit its own
  // LUTRAM primitive (5,896 RAM64M8 = 47 K LUTs at 10g); a loop of constant lane selects fixed
  // that at 10g but kept Yosys' proc_mux busy for over 45 minutes at 100g (stopped then) (32 write ports per table
  // before they are merged). One RAM per lane has one write port with one enable.
  logic               s2_valid_q, s2_ip_q;
  logic [RULES_N-1:0] s2_src_s_q, s2_dst_d_q, s2_src_d_q, s2_dst_s_q;
  logic [RULES_N-1:0] s2_sp_s_q, s2_dp_d_q, s2_sp_d_q, s2_dp_s_q;
  logic [RULES_N-1:0] s2_proto_q, s2_ttl_q, s2_tcpf_q, s2_ity_q, s2_ico_q, s2_ds_q, s2_bidir_q;

  // A row table of `rows` classes per bank: lane l of row c of bank k is word {k, c} of RAM l;
  // q0 (and q1 for a table looked up twice) is read at {s1_bank_q, a0} ({s1_bank_q, a1}).
  `define DEJFA_ROWS_WR(id, rows) \
      if (tbl_wr_en && wid == dejfa_regs_pkg::id && wrow32 < 32'(rows) && wlane == LW'(l)) begin \
        mem[{b, wrow[$clog2(rows)-1:0]}] <= tbl_wr_data; \
      end
  `define DEJFA_ROWS1(name, id, rows, a0, q0) \
    for (genvar l = 0; l < RW; l++) begin : g_``name \
      logic [31:0] mem [2 << $clog2(rows)]; \
      always_ff @(posedge clk) begin \
        `DEJFA_ROWS_WR(id, rows) \
        if (SIM_FORM == 0 || s1_valid_q) q0[32*l +: 32] <= mem[{s1_bank_q, a0}]; \
      end \
    end
  `define DEJFA_ROWS2(name, id, rows, a0, q0, a1, q1) \
    for (genvar l = 0; l < RW; l++) begin : g_``name \
      logic [31:0] mem [2 << $clog2(rows)]; \
      always_ff @(posedge clk) begin \
        `DEJFA_ROWS_WR(id, rows) \
        if (SIM_FORM == 0 || s1_valid_q) begin \
          q0[32*l +: 32] <= mem[{s1_bank_q, a0}]; \
          q1[32*l +: 32] <= mem[{s1_bank_q, a1}]; \
        end \
      end \
    end
  `DEJFA_ROWS2(src, TBL_ADDR_SRC_ROWS, ADDR_N, s1_ca_s_q, s2_src_s_q, s1_ca_d_q, s2_src_d_q)
  `DEJFA_ROWS2(dst, TBL_ADDR_DST_ROWS, ADDR_N, s1_ca_d_q, s2_dst_d_q, s1_ca_s_q, s2_dst_s_q)
  `DEJFA_ROWS2(sp, TBL_SPORT_ROWS, PC, s1_cp_s_q, s2_sp_s_q, s1_cp_d_q, s2_sp_d_q)
  `DEJFA_ROWS2(dp, TBL_DPORT_ROWS, PC, s1_cp_d_q, s2_dp_d_q, s1_cp_s_q, s2_dp_s_q)
  `DEJFA_ROWS1(proto, TBL_PROTO_ROWS, CLS_N, s1_c_proto_q, s2_proto_q)
  `DEJFA_ROWS1(ttl, TBL_TTL_ROWS, CLS_N, s1_c_ttl_q, s2_ttl_q)
  `DEJFA_ROWS1(tcpf, TBL_TCPF_ROWS, CLS_N, s1_c_tcpf_q, s2_tcpf_q)
  `DEJFA_ROWS1(ity, TBL_ITYPE_ROWS, CLS_N, s1_c_ity_q, s2_ity_q)
  `DEJFA_ROWS1(ico, TBL_ICODE_ROWS, CLS_N, s1_c_ico_q, s2_ico_q)
  `DEJFA_ROWS1(ds, TBL_DSIZE_ROWS, DC, s1_cd_q, s2_ds_q)
  `undef DEJFA_ROWS2
  `undef DEJFA_ROWS1
  `undef DEJFA_ROWS_WR

  always_ff @(posedge clk) begin
    s2_valid_q <= s1_valid_q;
    s2_ip_q    <= s1_ip_q;
    if (SIM_FORM == 0 || s1_valid_q) s2_bidir_q <= bidir_q[s1_bank_q];
    if (rst) s2_valid_q <= 1'b0;
  end

  // ---------------------------------------------------------------- stage 3: AND
  logic               s3_valid_q;
  logic [RULES_N-1:0] s3_match_q;
  always_ff @(posedge clk) begin
    s3_valid_q <= s2_valid_q;
    if (SIM_FORM == 0 || s2_valid_q) s3_match_q <= {RULES_N{s2_ip_q}} &
                  ((s2_src_s_q & s2_dst_d_q & s2_sp_s_q & s2_dp_d_q) |
                   (s2_src_d_q & s2_dst_s_q & s2_sp_d_q & s2_dp_s_q & s2_bidir_q)) &
                  s2_proto_q & s2_ttl_q & s2_tcpf_q & s2_ity_q & s2_ico_q & s2_ds_q;
    if (rst) s3_valid_q <= 1'b0;
  end

  always_ff @(posedge clk) begin
    m_cls_valid <= s3_valid_q;
    if (SIM_FORM == 0 || s3_valid_q) m_cls_match <= s3_match_q;
    if (rst) m_cls_valid <= 1'b0;
  end

endmodule

`resetall
`default_nettype wire
