// SPDX-License-Identifier: Apache-2.0
/**
 * dejfa_opennic_250mhz: the filter core as an AMD OpenNIC shell user plugin in box_250mhz.
 *
 * Placement (docs/CARDS.md): the receive path of CMAC port 0, between the packet adapter and the
 * QDMA card-to-host stream (s_axis_adap_rx_250mhz[0] -> core -> m_axis_qdma_c2h[0]). The adapter
 * buffers whole packets and honours back-pressure there, so the core's store-and-forward buffer
 * and its COMMIT-at-a-boundary never lose a frame. Frames the core drops never reach the host;
 * passed frames leave byte-identical with the shell's tuser (size and source; destination set to
 * physical function 0, as the shell's own p2p plugin does). Every other path (the transmit paths,
 * and the receive paths of further ports) is passed through unchanged, like p2p.
 *
 * Clocks: the core runs on axis_aclk (250 MHz: 512 bits x 250 MHz = 128 Gb/s, above 100 GbE);
 * its register port is reached from the shell's 125 MHz axil_aclk through dejfa_axil_cdc.
 * The shell has no write strobes (whole words only) and subtracts the box base, so the plugin
 * sees offsets 0x00000-0xFFFFF: exactly the core's 1 MiB window (BAR2 + 0x100000 on the host).
 *
 * Reset: mod_rstn (active low) is synchronised into both clocks; mod_rst_done rises once both
 * domains have left reset.
 */
`default_nettype none

module dejfa_opennic_250mhz #(
  /// CMAC ports (= physical functions) of the shell build
  parameter int unsigned NUM_INTF = 1
) (
  /// AXI4-Lite from the shell (axil_aclk): write address (box offset)
  input  wire logic                    s_axil_awvalid,
  input  wire logic [31:0]             s_axil_awaddr,
  output logic                         s_axil_awready,
  /// write data (whole words: the shell has no strobes)
  input  wire logic                    s_axil_wvalid,
  input  wire logic [31:0]             s_axil_wdata,
  output logic                         s_axil_wready,
  /// write response
  output logic                         s_axil_bvalid,
  output logic [1:0]                   s_axil_bresp,
  input  wire logic                    s_axil_bready,
  /// read address
  input  wire logic                    s_axil_arvalid,
  input  wire logic [31:0]             s_axil_araddr,
  output logic                         s_axil_arready,
  /// read data
  output logic                         s_axil_rvalid,
  output logic [31:0]                  s_axil_rdata,
  output logic [1:0]                   s_axil_rresp,
  input  wire logic                    s_axil_rready,

  /// host to card (QDMA H2C), per physical function
  input  wire logic [NUM_INTF-1:0]     s_axis_qdma_h2c_tvalid,
  input  wire logic [512*NUM_INTF-1:0] s_axis_qdma_h2c_tdata,
  input  wire logic [64*NUM_INTF-1:0]  s_axis_qdma_h2c_tkeep,
  input  wire logic [NUM_INTF-1:0]     s_axis_qdma_h2c_tlast,
  input  wire logic [16*NUM_INTF-1:0]  s_axis_qdma_h2c_tuser_size,
  input  wire logic [16*NUM_INTF-1:0]  s_axis_qdma_h2c_tuser_src,
  input  wire logic [16*NUM_INTF-1:0]  s_axis_qdma_h2c_tuser_dst,
  output logic [NUM_INTF-1:0]          s_axis_qdma_h2c_tready,
  /// card to host (QDMA C2H), per physical function
  output logic [NUM_INTF-1:0]          m_axis_qdma_c2h_tvalid,
  output logic [512*NUM_INTF-1:0]      m_axis_qdma_c2h_tdata,
  output logic [64*NUM_INTF-1:0]       m_axis_qdma_c2h_tkeep,
  output logic [NUM_INTF-1:0]          m_axis_qdma_c2h_tlast,
  output logic [16*NUM_INTF-1:0]       m_axis_qdma_c2h_tuser_size,
  output logic [16*NUM_INTF-1:0]       m_axis_qdma_c2h_tuser_src,
  output logic [16*NUM_INTF-1:0]       m_axis_qdma_c2h_tuser_dst,
  input  wire logic [NUM_INTF-1:0]     m_axis_qdma_c2h_tready,
  /// toward the MAC (packet adapter TX), per CMAC port
  output logic [NUM_INTF-1:0]          m_axis_adap_tx_250mhz_tvalid,
  output logic [512*NUM_INTF-1:0]      m_axis_adap_tx_250mhz_tdata,
  output logic [64*NUM_INTF-1:0]       m_axis_adap_tx_250mhz_tkeep,
  output logic [NUM_INTF-1:0]          m_axis_adap_tx_250mhz_tlast,
  output logic [16*NUM_INTF-1:0]       m_axis_adap_tx_250mhz_tuser_size,
  output logic [16*NUM_INTF-1:0]       m_axis_adap_tx_250mhz_tuser_src,
  output logic [16*NUM_INTF-1:0]       m_axis_adap_tx_250mhz_tuser_dst,
  input  wire logic [NUM_INTF-1:0]     m_axis_adap_tx_250mhz_tready,
  /// from the MAC (packet adapter RX), per CMAC port
  input  wire logic [NUM_INTF-1:0]     s_axis_adap_rx_250mhz_tvalid,
  input  wire logic [512*NUM_INTF-1:0] s_axis_adap_rx_250mhz_tdata,
  input  wire logic [64*NUM_INTF-1:0]  s_axis_adap_rx_250mhz_tkeep,
  input  wire logic [NUM_INTF-1:0]     s_axis_adap_rx_250mhz_tlast,
  input  wire logic [16*NUM_INTF-1:0]  s_axis_adap_rx_250mhz_tuser_size,
  input  wire logic [16*NUM_INTF-1:0]  s_axis_adap_rx_250mhz_tuser_src,
  input  wire logic [16*NUM_INTF-1:0]  s_axis_adap_rx_250mhz_tuser_dst,
  output logic [NUM_INTF-1:0]          s_axis_adap_rx_250mhz_tready,

  /// plugin reset from the shell (active low, axil_aclk)
  input  wire logic                    mod_rstn,
  /// the plugin has left reset
  output logic                         mod_rst_done,
  /// register clock (125 MHz)
  input  wire logic                    axil_aclk,
  /// datapath clock (250 MHz)
  input  wire logic                    axis_aclk
);
  localparam int unsigned AW = dejfa_regs_pkg::AXIL_ADDR_W;
  localparam int PORTS = NUM_INTF;  // signed, for the genvar loop (no casts: Yosys 0.23)

  // ---------------------------------------------------------------- resets
  // Power-up: the synchronisers start in reset (FPGA configuration loads these initial values), so
  // both domains are held in reset from the first clock until mod_rstn has been seen high; without
  // them the core would run for a few cycles with whatever state configuration left.
  (* ASYNC_REG = "TRUE" *) logic [2:0] axil_rst_sync_q = 3'b111;
  (* ASYNC_REG = "TRUE" *) logic [2:0] axis_rst_sync_q = 3'b111;
  (* ASYNC_REG = "TRUE" *) logic [1:0] axis_up_sync_q = 2'b00;
  logic axis_up_q = 1'b0;
  always_ff @(posedge axil_aclk) begin
    axil_rst_sync_q <= {axil_rst_sync_q[1:0], !mod_rstn};
    axis_up_sync_q  <= {axis_up_sync_q[0], axis_up_q};
  end
  always_ff @(posedge axis_aclk) begin
    axis_rst_sync_q <= {axis_rst_sync_q[1:0], !mod_rstn};
    axis_up_q       <= !axis_rst_sync_q[2];
  end
  wire logic axil_rst = axil_rst_sync_q[2];
  wire logic axis_rst = axis_rst_sync_q[2];
  assign mod_rst_done = !axil_rst && axis_up_sync_q[1] && mod_rstn;

  // ---------------------------------------------------------------- registers: 125 -> 250 MHz
  logic [AW-1:0] c_awaddr, c_araddr;
  logic          c_awvalid, c_awready, c_wvalid, c_wready, c_bvalid, c_bready;
  logic          c_arvalid, c_arready, c_rvalid, c_rready;
  logic [31:0]   c_wdata, c_rdata;
  logic [3:0]    c_wstrb;
  logic [1:0]    c_bresp, c_rresp;
  dejfa_axil_cdc #(.AW(AW)) u_cdc (
    .s_clk(axil_aclk), .s_rst(axil_rst),
    .s_axil_awaddr(s_axil_awaddr[AW-1:0]), .s_axil_awvalid, .s_axil_awready,
    .s_axil_wdata, .s_axil_wstrb(4'hF), .s_axil_wvalid, .s_axil_wready,
    .s_axil_bresp, .s_axil_bvalid, .s_axil_bready,
    .s_axil_araddr(s_axil_araddr[AW-1:0]), .s_axil_arvalid, .s_axil_arready,
    .s_axil_rdata, .s_axil_rresp, .s_axil_rvalid, .s_axil_rready,
    .m_clk(axis_aclk), .m_rst(axis_rst),
    .m_axil_awaddr(c_awaddr), .m_axil_awvalid(c_awvalid), .m_axil_awready(c_awready),
    .m_axil_wdata(c_wdata), .m_axil_wstrb(c_wstrb), .m_axil_wvalid(c_wvalid),
    .m_axil_wready(c_wready), .m_axil_bresp(c_bresp), .m_axil_bvalid(c_bvalid),
    .m_axil_bready(c_bready), .m_axil_araddr(c_araddr), .m_axil_arvalid(c_arvalid),
    .m_axil_arready(c_arready), .m_axil_rdata(c_rdata), .m_axil_rresp(c_rresp),
    .m_axil_rvalid(c_rvalid), .m_axil_rready(c_rready)
  );
  // The box decodes its 1 MiB window; the upper offset bits are always zero here.
  wire logic unused_addr = ^{s_axil_awaddr[31:AW], s_axil_araddr[31:AW]};

  // ---------------------------------------------------------------- the filter: port 0 RX
  logic [47:0] f_tuser;  // {dst, src, size}
  dejfa_filter #(.DATA_W(512), .USER_W(48)) u_filter (
    .clk(axis_aclk), .rst(axis_rst),
    .s_axis_tdata(s_axis_adap_rx_250mhz_tdata[511:0]),
    .s_axis_tkeep(s_axis_adap_rx_250mhz_tkeep[63:0]),
    .s_axis_tvalid(s_axis_adap_rx_250mhz_tvalid[0]),
    .s_axis_tready(s_axis_adap_rx_250mhz_tready[0]),
    .s_axis_tlast(s_axis_adap_rx_250mhz_tlast[0]),
    .s_axis_tuser({s_axis_adap_rx_250mhz_tuser_dst[15:0], s_axis_adap_rx_250mhz_tuser_src[15:0],
                   s_axis_adap_rx_250mhz_tuser_size[15:0]}),
    .m_axis_tdata(m_axis_qdma_c2h_tdata[511:0]),
    .m_axis_tkeep(m_axis_qdma_c2h_tkeep[63:0]),
    .m_axis_tvalid(m_axis_qdma_c2h_tvalid[0]),
    .m_axis_tready(m_axis_qdma_c2h_tready[0]),
    .m_axis_tlast(m_axis_qdma_c2h_tlast[0]),
    .m_axis_tuser(f_tuser),
    .s_axil_awaddr(c_awaddr), .s_axil_awvalid(c_awvalid), .s_axil_awready(c_awready),
    .s_axil_wdata(c_wdata), .s_axil_wstrb(c_wstrb), .s_axil_wvalid(c_wvalid),
    .s_axil_wready(c_wready), .s_axil_bresp(c_bresp), .s_axil_bvalid(c_bvalid),
    .s_axil_bready(c_bready), .s_axil_araddr(c_araddr), .s_axil_arvalid(c_arvalid),
    .s_axil_arready(c_arready), .s_axil_rdata(c_rdata), .s_axil_rresp(c_rresp),
    .s_axil_rvalid(c_rvalid), .s_axil_rready(c_rready)
  );
  assign m_axis_qdma_c2h_tuser_size[15:0] = f_tuser[15:0];
  assign m_axis_qdma_c2h_tuser_src[15:0]  = f_tuser[31:16];
  assign m_axis_qdma_c2h_tuser_dst[15:0]  = 16'h0001;  // physical function 0
  // The ingress destination field is meaningless on the way to the host.
  wire logic unused_dst = ^f_tuser[47:32];

  // ---------------------------------------------------------------- pass-through paths
  for (genvar i = 0; i < PORTS; i++) begin : g_intf
    // host -> MAC, unfiltered (as the shell's p2p plugin: destination = this CMAC port)
    assign m_axis_adap_tx_250mhz_tvalid[i]           = s_axis_qdma_h2c_tvalid[i];
    assign m_axis_adap_tx_250mhz_tdata[512*i +: 512] = s_axis_qdma_h2c_tdata[512*i +: 512];
    assign m_axis_adap_tx_250mhz_tkeep[64*i +: 64]   = s_axis_qdma_h2c_tkeep[64*i +: 64];
    assign m_axis_adap_tx_250mhz_tlast[i]            = s_axis_qdma_h2c_tlast[i];
    assign m_axis_adap_tx_250mhz_tuser_size[16*i +: 16] = s_axis_qdma_h2c_tuser_size[16*i +: 16];
    assign m_axis_adap_tx_250mhz_tuser_src[16*i +: 16]  = s_axis_qdma_h2c_tuser_src[16*i +: 16];
    assign m_axis_adap_tx_250mhz_tuser_dst[16*i +: 16]  = 16'(1 << (6 + i));
    assign s_axis_qdma_h2c_tready[i]                 = m_axis_adap_tx_250mhz_tready[i];
    wire logic unused_h2c_dst = ^s_axis_qdma_h2c_tuser_dst[16*i +: 16];
    if (i > 0) begin : g_rx_pass
      // further ports: MAC -> host, unfiltered
      assign m_axis_qdma_c2h_tvalid[i]              = s_axis_adap_rx_250mhz_tvalid[i];
      assign m_axis_qdma_c2h_tdata[512*i +: 512]    = s_axis_adap_rx_250mhz_tdata[512*i +: 512];
      assign m_axis_qdma_c2h_tkeep[64*i +: 64]      = s_axis_adap_rx_250mhz_tkeep[64*i +: 64];
      assign m_axis_qdma_c2h_tlast[i]               = s_axis_adap_rx_250mhz_tlast[i];
      assign m_axis_qdma_c2h_tuser_size[16*i +: 16] = s_axis_adap_rx_250mhz_tuser_size[16*i +: 16];
      assign m_axis_qdma_c2h_tuser_src[16*i +: 16]  = s_axis_adap_rx_250mhz_tuser_src[16*i +: 16];
      assign m_axis_qdma_c2h_tuser_dst[16*i +: 16]  = 16'(1 << i);
      assign s_axis_adap_rx_250mhz_tready[i]        = m_axis_qdma_c2h_tready[i];
      wire logic unused_rx_dst = ^s_axis_adap_rx_250mhz_tuser_dst[16*i +: 16];
    end
  end

endmodule

`default_nettype wire
