build/obj/util/sha256.o: src/util/sha256.c src/util/sha256.h \
 src/util/err.h src/util/exitcodes.h
src/util/sha256.h:
src/util/err.h:
src/util/exitcodes.h:
