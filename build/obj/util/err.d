build/obj/util/err.o: src/util/err.c src/util/err.h src/util/exitcodes.h
src/util/err.h:
src/util/exitcodes.h:
