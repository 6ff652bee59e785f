/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The devmem CUDA provider's data path without a GPU: run against the
 * stand-in libcuda (tests/gpu/fake_libcuda.c), payloads must reach the
 * "device" memory byte for byte, through one batch of copies and one
 * stream synchronisation per receive burst, before the application
 * sees their tokens. The real GPU is test_mlx5x_devmem_cuda.c's.
 */
#include <dlfcn.h>
#include <errno.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "mlx5x_config.h"
#include "mlx5x_test.h"
#include "rte_pmd_mlx5x_devmem.h"

#ifndef MLX5X_HAVE_CUDA
int
main(void)
{
	SKIP("built without the CUDA toolkit (no cuda.h): no CUDA provider");
}
#else
#include "mlx5x_test_port.h"

#define HDR 42u

int
main(int argc, char **argv)
{
	struct rte_pmd_mlx5x_devmem_region r;
	struct rte_pmd_mlx5x_devmem_stats st;
	unsigned long long *copies, *syncs;
	unsigned int got = 0, bad = 0, idle = 0, bursts = 0;
	void *lib = dlopen("libcuda.so.1", RTLD_NOW);
	char name[32];
	uint16_t q = 0;
	int port, id;

	(void)argc;
	if (lib == NULL || dlsym(lib, "fake_cuda_copies") == NULL)
		SKIP("the stand-in libcuda is not the one on the library path");
	copies = dlsym(lib, "fake_cuda_copies");
	syncs = dlsym(lib, "fake_cuda_syncs");
	if (test_ports_init(argv[0]) != 0)
		return 1;
	REQUIRE_OR_EXIT(rte_pmd_mlx5x_devmem_cuda_alloc(0, 8u << 20, &r) == 0,
			"cuda_alloc");
	CHECK(r.fd >= 0, "a dma-buf fd");
	CHECK_EQ(rte_pmd_mlx5x_devmem_cuda_alloc(0, 1000, &r), -EINVAL);
	port = port_up("wire=gen,gen_size=1500,gen_flows=8,gen_count=3000,"
		       "dev_mode=inline", NULL, name, sizeof(name));
	REQUIRE_OR_EXIT(port >= 0, "port");
	id = rte_pmd_mlx5x_devmem_bind((uint16_t)port, &q, 1, &r, NULL, NULL);
	REQUIRE_OR_EXIT(id > 0, "bind: %d", id);
	while (idle < 200) {
		struct rte_mbuf *b[32];
		uint32_t tok[32];
		uint16_t k = rte_eth_rx_burst((uint16_t)port, 0, b, 32), nt = 0;

		for (uint16_t i = 0; i < k; i++) {
			const uint8_t *h = rte_pktmbuf_mtod(b[i], const uint8_t *);
			const uint8_t *gpu;
			struct rte_pmd_mlx5x_devmem_frag f;
			uint32_t flow = ((uint32_t)h[34] << 8 | h[35]) - 1024;

			if (rte_pmd_mlx5x_devmem_frags(b[i], &f, 1) != 1) {
				bad++;
				continue;
			}
			/* already on the "GPU" when the burst returns */
			gpu = (const uint8_t *)r.va + f.offset;
			for (uint32_t j = 0; j < f.len; j++)
				if (gpu[j] != (uint8_t)(j + flow)) {
					bad++;
					break;
				}
			tok[nt++] = f.token;
		}
		rte_pmd_mlx5x_devmem_tokens_return((uint32_t)id, tok, nt);
		rte_pktmbuf_free_bulk(b, k);
		got += k;
		bursts += k != 0;
		idle = k ? 0 : idle + 1;
	}
	printf("%u payloads over %u bursts: %llu copies, %llu stream syncs\n",
	       got, bursts, *copies, *syncs);
	CHECK_EQ(got, 3000);
	CHECK_EQ(bad, 0);
	CHECK_EQ(*copies, got);
	CHECK_EQ(*syncs, bursts); /* one batch per burst */
	rte_pmd_mlx5x_devmem_stats_get((uint32_t)id, &st);
	CHECK_EQ(st.chunks_in_flight, 0);
	CHECK_EQ(rte_pmd_mlx5x_devmem_unbind((uint32_t)id), 0);
	port_down(port, name);
	rte_pmd_mlx5x_devmem_cuda_free(&r);
	rte_eal_cleanup();
	return test_report("mlx5x-devmem-cuda-fake");
}
#endif
