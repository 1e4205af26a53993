package dme.job.stage;

import dme.core.DmeConfig;
import dme.core.Storage;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;

/** What every stage of a batch needs on an executor: the resolved configuration and storage access. */
public record JobContext(DmeConfig config, HadoopConf hadoopConf) implements Serializable {

    public Storage storage() {
        try {
            return Storage.open(config.layout(), hadoopConf.get());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open storage " + config.root(), e);
        }
    }
}
