package dme.job;

import org.apache.spark.Partitioner;

/** The two shuffles of a batch. */
final class Partitioners {
    private Partitioners() {}

    /**
     * Spreads chunks over all task slots: consecutive chunks of a song go to consecutive partitions,
     * so even a single song keeps every executor busy (a hash could pile chunks onto one slot).
     */
    static final class Spread extends Partitioner {
        private static final long serialVersionUID = 1L;
        private final int partitions;

        Spread(int partitions) {
            this.partitions = partitions;
        }

        @Override
        public int numPartitions() {
            return partitions;
        }

        @Override
        public int getPartition(Object key) {
            return (int) Math.floorMod((Long) key, (long) partitions);
        }
    }

    /** All chunks of a song in one partition, so one task stitches the song in order. */
    static final class BySong extends Partitioner {
        private static final long serialVersionUID = 1L;
        private final int partitions;

        BySong(int partitions) {
            this.partitions = partitions;
        }

        @Override
        public int numPartitions() {
            return partitions;
        }

        @Override
        public int getPartition(Object key) {
            return (int) Math.floorMod(((ChunkKey) key).musicId(), (long) partitions);
        }
    }
}
